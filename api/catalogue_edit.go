package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/wfo-go/wfo/catalogue"
)

type descriptionInput struct {
	ID   uuid.UUID `path:"id"`
	Body struct {
		Description Omittable[string] `json:"description,omitempty" maxLength:"2000" doc:"the new description; left out, it stays (null is refused)"`
	}
}

type productPatchInput struct {
	ID   uuid.UUID `path:"id"`
	Body struct {
		Description Omittable[string] `json:"description,omitempty" maxLength:"2000" doc:"the new description; left out, it stays (null is refused)"`
		Status      Omittable[string] `json:"status,omitempty" enum:"active,pre production,phase out,end of life" doc:"the new status; end of life only once every subscription of the product is terminated"`
	}
}

func (s *Server) catalogueEditRoutes() {
	huma.Register(s.api, huma.Operation{OperationID: "get-resource-type", Method: http.MethodGet, Path: "/api/resource_types/{id}",
		Summary: "A resource type", Tags: []string{"resource_types"}, Errors: []int{404, 422}},
		func(ctx context.Context, in *idPath) (*struct{ Body ResourceType }, error) {
			rt, err := s.resourceType(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body ResourceType }{Body: *rt}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "update-product", Method: http.MethodPatch, Path: "/api/products/{id}", DefaultStatus: http.StatusCreated,
		Summary: "Edit a product's description or status", Tags: []string{"products"}, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Description: "Only the keys sent are applied. Answers 201 with the product, as the reference does.",
		Errors:      []int{400, 404, 413, 422}}, s.patchProduct)
	huma.Register(s.api, huma.Operation{OperationID: "update-product-block", Method: http.MethodPatch, Path: "/api/product_blocks/{id}", DefaultStatus: http.StatusCreated,
		Summary: "Edit a product block's description", Tags: []string{"product_blocks"}, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Errors: []int{404, 413, 422}},
		func(ctx context.Context, in *descriptionInput) (*struct{ Body ProductBlock }, error) {
			if err := s.setDescription(ctx, catalogue.ProductBlocks, in, "Product_block id %s not found"); err != nil {
				return nil, err
			}
			bs, err := s.subs.Blocks(ctx, in.ID)
			if err != nil || len(bs) == 0 {
				return nil, s.internal(ctx, "product block", fmt.Errorf("reading product block %s back: %v", in.ID, err))
			}
			return &struct{ Body ProductBlock }{Body: blockOf(bs[0])}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "update-resource-type", Method: http.MethodPatch, Path: "/api/resource_types/{id}", DefaultStatus: http.StatusCreated,
		Summary: "Edit a resource type's description", Tags: []string{"resource_types"}, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Errors: []int{404, 413, 422}},
		func(ctx context.Context, in *descriptionInput) (*struct{ Body ResourceType }, error) {
			if err := s.setDescription(ctx, catalogue.ResourceTypes, in, "ResourceType id %s not found"); err != nil {
				return nil, err
			}
			rt, err := s.resourceType(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &struct{ Body ResourceType }{Body: *rt}, nil
		})
	huma.Register(s.api, huma.Operation{OperationID: "update-workflow", Method: http.MethodPatch, Path: "/api/workflows/{id}", DefaultStatus: http.StatusCreated,
		Summary: "Edit a workflow's description", Tags: []string{"workflows"}, MaxBodyBytes: s.cfg.MaxBodyBytes,
		Errors: []int{404, 413, 422}},
		func(ctx context.Context, in *descriptionInput) (*struct{ Body Workflow }, error) {
			if err := s.setDescription(ctx, catalogue.Workflows, in, "Workflow id %s not found"); err != nil {
				return nil, err
			}
			ws, err := s.subs.Workflows(ctx, in.ID)
			if err != nil || len(ws) == 0 {
				return nil, s.internal(ctx, "workflow", fmt.Errorf("reading workflow %s back: %v", in.ID, err))
			}
			return &struct{ Body Workflow }{Body: WorkflowOf(ws[0])}, nil
		})
}

func (s *Server) resourceType(ctx context.Context, id uuid.UUID) (*ResourceType, error) {
	rt, err := catalogue.New(s.eng.DB()).ResourceType(ctx, id)
	if errors.Is(err, catalogue.ErrNotFound) {
		return nil, problem(http.StatusNotFound, fmt.Sprintf("ResourceType id %s not found", id))
	}
	if err != nil {
		return nil, s.internal(ctx, "resource type", err)
	}
	return &ResourceType{ResourceType: rt.ResourceType, Description: rt.Description, ResourceTypeID: rt.ID}, nil
}

// notNull refuses a field sent as null (the reference fails on it with a 500).
func notNull(field string, sent Omittable[string]) error {
	if !sent.Null {
		return nil
	}
	return &RequestError{status: http.StatusUnprocessableEntity, Detail: []RequestErrorItem{{Type: "string_type", Loc: []any{"body", field},
		Msg: "Input should be a valid string, not null"}}}
}

// setDescription applies a description edit; notFound is the 404 text with a %s for the id.
func (s *Server) setDescription(ctx context.Context, kind catalogue.Kind, in *descriptionInput, notFound string) error {
	if err := notNull("description", in.Body.Description); err != nil {
		return err
	}
	cat := catalogue.New(s.eng.DB())
	var err error
	if in.Body.Description.Sent {
		err = cat.SetDescription(ctx, kind, in.ID, in.Body.Description.Value)
	} else {
		err = s.exists(ctx, kind, in.ID)
	}
	return s.editError(ctx, err, in.ID, notFound)
}

// exists checks that the row is there, for an edit that changes nothing.
func (s *Server) exists(ctx context.Context, kind catalogue.Kind, id uuid.UUID) error {
	var n int
	var err error
	switch kind {
	case catalogue.Products:
		ps, e := s.subs.ProductDetails(ctx, id)
		n, err = len(ps), e
	case catalogue.ProductBlocks:
		bs, e := s.subs.Blocks(ctx, id)
		n, err = len(bs), e
	case catalogue.ResourceTypes:
		_, err = catalogue.New(s.eng.DB()).ResourceType(ctx, id)
		n = 1
	case catalogue.Workflows:
		ws, e := s.subs.Workflows(ctx, id)
		n, err = len(ws), e
	}
	if err == nil && n == 0 {
		err = catalogue.ErrNotFound
	}
	return err
}

func (s *Server) editError(ctx context.Context, err error, id uuid.UUID, notFound string) error {
	var nt *catalogue.NotTerminatedError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, catalogue.ErrNotFound):
		return problem(http.StatusNotFound, fmt.Sprintf(notFound, id))
	case errors.As(err, &nt):
		return problem(http.StatusBadRequest, fmt.Sprintf("Cannot set product to '%s': %d subscription(s) are not in terminated state", catalogue.EndOfLife, nt.Count))
	case errors.Is(err, catalogue.ErrTooLong):
		return &RequestError{status: http.StatusUnprocessableEntity, Detail: []RequestErrorItem{{Type: "string_too_long", Loc: []any{"body", "description"},
			Msg: fmt.Sprintf("String should have at most %d characters", catalogue.MaxDescription)}}}
	}
	return s.internal(ctx, "catalogue edit", err)
}

func (s *Server) patchProduct(ctx context.Context, in *productPatchInput) (*struct{ Body ProductDetail }, error) {
	const notFound = "Product id %s not found"
	if err := notNull("description", in.Body.Description); err != nil {
		return nil, err
	}
	if err := notNull("status", in.Body.Status); err != nil {
		return nil, err
	}
	cat := catalogue.New(s.eng.DB())
	var err error
	switch {
	case in.Body.Status.Sent:
		// The status first: refused, it leaves the description as it was too.
		err = cat.SetProductStatus(ctx, in.ID, in.Body.Status.Value)
	case !in.Body.Description.Sent:
		err = s.exists(ctx, catalogue.Products, in.ID)
	}
	if err == nil && in.Body.Description.Sent {
		err = cat.SetDescription(ctx, catalogue.Products, in.ID, in.Body.Description.Value)
	}
	if err := s.editError(ctx, err, in.ID, notFound); err != nil {
		return nil, err
	}
	ps, err := s.subs.ProductDetails(ctx, in.ID)
	if err != nil || len(ps) == 0 {
		return nil, s.internal(ctx, "product", fmt.Errorf("reading product %s back: %v", in.ID, err))
	}
	return &struct{ Body ProductDetail }{Body: productDetailOf(ps[0])}, nil
}
