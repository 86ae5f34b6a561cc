package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/wfo-go/wfo/subscription"
)

// Workflow is a workflow as the reference's API shows it; Steps is always null.
type Workflow struct {
	Name        string    `json:"name"`
	Target      string    `json:"target"`
	IsTask      bool      `json:"is_task"`
	Description *string   `json:"description"`
	CreatedAt   *float64  `json:"created_at"`
	WorkflowID  uuid.UUID `json:"workflow_id"`
	Steps       any       `json:"steps"`
}

// ResourceType is a resource type of a product block.
type ResourceType struct {
	ResourceType   string    `json:"resource_type"`
	Description    *string   `json:"description"`
	ResourceTypeID uuid.UUID `json:"resource_type_id"`
}

// ProductBlock is a product block with its resource types.
type ProductBlock struct {
	ProductBlockID uuid.UUID      `json:"product_block_id"`
	Name           string         `json:"name"`
	Description    string         `json:"description"`
	Tag            *string        `json:"tag"`
	Status         *string        `json:"status"`
	ResourceTypes  []ResourceType `json:"resource_types"`
	CreatedAt      *float64       `json:"created_at"`
	EndDate        *float64       `json:"end_date"`
}

// FixedInput is a fixed input of a product.
type FixedInput struct {
	FixedInputID uuid.UUID `json:"fixed_input_id"`
	Name         string    `json:"name"`
	Value        string    `json:"value"`
	ProductID    uuid.UUID `json:"product_id"`
	CreatedAt    *float64  `json:"created_at"`
}

// ProductDetail is a product with its blocks, fixed inputs and workflows.
type ProductDetail struct {
	ProductID     uuid.UUID      `json:"product_id"`
	Name          string         `json:"name"`
	Description   string         `json:"description"`
	ProductType   string         `json:"product_type"`
	Status        string         `json:"status"`
	Tag           string         `json:"tag"`
	CreatedAt     *float64       `json:"created_at"`
	EndDate       *float64       `json:"end_date"`
	ProductBlocks []ProductBlock `json:"product_blocks"`
	FixedInputs   []FixedInput   `json:"fixed_inputs"`
	Workflows     []Workflow     `json:"workflows"`
}

// WorkflowOf is the API shape of a workflow row.
func WorkflowOf(w *subscription.WorkflowRow) Workflow {
	d := w.Description
	return Workflow{Name: w.Name, Target: w.Target, IsTask: w.IsTask, Description: &d, CreatedAt: epochPtr(w.CreatedAt), WorkflowID: w.WorkflowID}
}

func blockOf(b *subscription.BlockRow) ProductBlock {
	out := ProductBlock{ProductBlockID: b.ProductBlockID, Name: b.Name, Description: b.Description, Tag: b.Tag, Status: b.Status,
		ResourceTypes: []ResourceType{}, CreatedAt: epochPtr(b.CreatedAt), EndDate: epochPtr(b.EndDate)}
	for _, rt := range b.ResourceTypes {
		out.ResourceTypes = append(out.ResourceTypes, ResourceType{ResourceType: rt.ResourceType, Description: rt.Description, ResourceTypeID: rt.ResourceTypeID})
	}
	return out
}

func productDetailOf(p *subscription.ProductDetail) ProductDetail {
	out := ProductDetail{ProductID: p.ProductID, Name: p.Name, Description: p.Description, ProductType: p.ProductType, Status: p.Status,
		Tag: p.Tag, CreatedAt: epochPtr(p.CreatedAt), EndDate: epochPtr(p.EndDate),
		ProductBlocks: []ProductBlock{}, FixedInputs: []FixedInput{}, Workflows: []Workflow{}}
	for _, b := range p.Blocks {
		out.ProductBlocks = append(out.ProductBlocks, blockOf(b))
	}
	for _, f := range p.FixedInputs {
		out.FixedInputs = append(out.FixedInputs, FixedInput{FixedInputID: f.FixedInputID, Name: f.Name, Value: f.Value, ProductID: f.ProductID, CreatedAt: epochPtr(f.CreatedAt)})
	}
	for _, w := range p.Workflows {
		out.Workflows = append(out.Workflows, WorkflowOf(w))
	}
	return out
}

type idPath struct {
	ID uuid.UUID `path:"id"`
}

type productsInput struct {
	Tag         string `query:"tag" doc:"only products with this tag"`
	ProductType string `query:"product_type" doc:"only products of this type"`
}

type domainModelInput struct {
	SubscriptionID uuid.UUID `path:"subscription_id"`
}

func (s *Server) catalogueRoutes() {
	huma.Register(s.api, huma.Operation{OperationID: "list-workflows", Method: http.MethodGet, Path: "/api/workflows/",
		Summary: "Workflows and tasks (wfo; the reference lists them through GraphQL)", Tags: []string{"workflows"}},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []Workflow }, error) {
			ws, err := s.subs.Workflows(ctx)
			if err != nil {
				return nil, s.internal(ctx, "workflows", err)
			}
			out := []Workflow{}
			for _, w := range ws {
				out = append(out, WorkflowOf(w))
			}
			return &struct{ Body []Workflow }{Body: out}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "get-workflow", Method: http.MethodGet, Path: "/api/workflows/{id}",
		Summary: "A workflow", Tags: []string{"workflows"}, Errors: []int{404, 422}},
		func(ctx context.Context, in *idPath) (*struct{ Body Workflow }, error) {
			ws, err := s.subs.Workflows(ctx, in.ID)
			if err != nil {
				return nil, s.internal(ctx, "workflow", err)
			}
			if len(ws) == 0 {
				return nil, problem(http.StatusNotFound, fmt.Sprintf("Workflow id %s not found", in.ID))
			}
			return &struct{ Body Workflow }{Body: WorkflowOf(ws[0])}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "list-products", Method: http.MethodGet, Path: "/api/products/",
		Summary: "Products with their blocks, fixed inputs and workflows", Tags: []string{"products"}},
		func(ctx context.Context, in *productsInput) (*struct{ Body []ProductDetail }, error) {
			ps, err := s.subs.ProductDetails(ctx)
			if err != nil {
				return nil, s.internal(ctx, "products", err)
			}
			out := []ProductDetail{}
			for _, p := range ps {
				if (in.Tag == "" || p.Tag == in.Tag) && (in.ProductType == "" || p.ProductType == in.ProductType) {
					out = append(out, productDetailOf(p))
				}
			}
			return &struct{ Body []ProductDetail }{Body: out}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "get-product", Method: http.MethodGet, Path: "/api/products/{id}",
		Summary: "A product", Tags: []string{"products"}, Errors: []int{404, 422}},
		func(ctx context.Context, in *idPath) (*struct{ Body ProductDetail }, error) {
			ps, err := s.subs.ProductDetails(ctx, in.ID)
			if err != nil {
				return nil, s.internal(ctx, "product", err)
			}
			if len(ps) == 0 {
				return nil, problem(http.StatusNotFound, fmt.Sprintf("Product id %s not found", in.ID))
			}
			return &struct{ Body ProductDetail }{Body: productDetailOf(ps[0])}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "get-product-block", Method: http.MethodGet, Path: "/api/product_blocks/{id}",
		Summary: "A product block", Tags: []string{"product_blocks"}, Errors: []int{404, 422}},
		func(ctx context.Context, in *idPath) (*struct{ Body ProductBlock }, error) {
			bs, err := s.subs.Blocks(ctx, in.ID)
			if err != nil {
				return nil, s.internal(ctx, "product block", err)
			}
			if len(bs) == 0 {
				return nil, problem(http.StatusNotFound, fmt.Sprintf("Product_block id %s not found", in.ID))
			}
			return &struct{ Body ProductBlock }{Body: blockOf(bs[0])}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "get-subscription-domain-model", Method: http.MethodGet, Path: "/api/subscriptions/domain-model/{subscription_id}",
		Summary: "A subscription's domain model", Tags: []string{"subscriptions"}, Errors: []int{404, 422}},
		func(ctx context.Context, in *domainModelInput) (*struct{ Body json.RawMessage }, error) {
			body, err := DomainModel(ctx, s.subs, in.SubscriptionID)
			if errors.Is(err, subscription.ErrNotFound) {
				return nil, problem(http.StatusNotFound, fmt.Sprintf("Subscription with id: %s, not found", in.SubscriptionID))
			}
			if err != nil {
				return nil, s.internal(ctx, "domain model", err)
			}
			return &struct{ Body json.RawMessage }{Body: body}, nil
		})
}

// SubscriptionRow is a subscription without its instances, in the reference's order for subscriptions in lists.
type SubscriptionRow = LinkedSubscription

// SubscriptionOf is the API shape of a subscription row.
func SubscriptionOf(r *subscription.Listing) SubscriptionRow { return linked(r) }

// Related is a subscription that uses or is used by another.
type Related struct {
	SubscriptionID uuid.UUID `json:"subscription_id"`
	Description    string    `json:"description"`
	ProductName    string    `json:"product_name"`
	Status         string    `json:"status"`
	Insync         bool      `json:"insync"`
	CustomerID     string    `json:"customer_id"`
}

// RelatedOf is the API shape of in-use-by or depends-on summaries.
func RelatedOf(ss []subscription.Summary) []Related {
	out := []Related{}
	for _, s := range ss {
		out = append(out, Related{SubscriptionID: s.SubscriptionID, Description: s.Description, ProductName: s.ProductName,
			Status: string(s.Status), Insync: s.Insync, CustomerID: s.CustomerID})
	}
	return out
}
