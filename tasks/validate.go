package tasks

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/wfo-go/wfo/catalogue"
	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/wrapper"
)

// modelStore returns the subscription store of the step, one with an empty domain model when the engine has none
// (every subscription then fails to load, as it would in the reference without registered models).
func modelStore(ctx *workflow.Context) (*subscription.Store, error) {
	s, err := process.Subscriptions(ctx)
	if errors.Is(err, process.ErrNoProducts) {
		return subscription.New(ctx.DB, domain.MustNewRegistry()), nil
	}
	return s, err
}

func validateProducts(translationsDir string) *workflow.Workflow {
	allInDB := workflow.NewStep("Check all workflows in database", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		inDB, err := catalogue.New(ctx.DB).WorkflowNames(ctx)
		if err != nil {
			return nil, err
		}
		var notInDB, notInCode []string
		for _, w := range ctx.Registry.All() {
			if !slices.Contains(inDB, w.Name) {
				notInDB = append(notInDB, w.Name)
			}
		}
		for _, name := range inDB {
			if !ctx.Registry.Has(name) {
				notInCode = append(notInCode, name)
			}
		}
		if len(notInDB) > 0 || len(notInCode) > 0 {
			return nil, workflow.Fail("Found missing workflows in database or implementations", map[string]any{
				"Workflows not registered in the database":             orEmpty(notInDB),
				"Workflows not registered in a `LazyWorkflowInstance`": orEmpty(notInCode),
			})
		}
		return map[string]any{"check_all_workflows_are_in_db": true}, nil
	})
	targets := workflow.NewStep("Check workflows for matching targets and descriptions", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		targets, err := catalogue.New(ctx.DB).WorkflowTargets(ctx)
		if err != nil {
			return nil, err
		}
		var problems []string
		for _, w := range ctx.Registry.All() {
			target, ok := targets[w.Name]
			if !ok {
				continue // test workflows might not exist in the database
			}
			if target != string(w.Target) {
				problems = append(problems, fmt.Sprintf("Workflow %s: %s <=> %s, %s <=> %s. ", w.Name, w.Target, target, w.Name, w.Name))
			}
		}
		if len(problems) > 0 {
			return nil, workflow.Fail("Workflows with none matching targets and names", strings.Join(problems, "\n"))
		}
		// Translations matter only to a UI: they are checked when TRANSLATIONS_DIR names them.
		if translationsDir != "" {
			translated, err := translations(translationsDir)
			if err != nil {
				return nil, err
			}
			var missing []string
			for _, w := range ctx.Registry.All() {
				if _, ok := translated[w.Name]; !ok && !slices.Contains(Names(), w.Name) {
					missing = append(missing, w.Name)
				}
			}
			if len(missing) > 0 {
				return nil, workflow.Fail("Workflows with missing translations", strings.Join(missing, "\n"))
			}
		}
		return map[string]any{"check_workflows_for_matching_targets_and_descriptions": true}, nil
	})
	atLeastOne := workflow.NewStep("Check that all products have at least one workflow", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		names, err := catalogue.New(ctx.DB).ProductsWithoutWorkflows(ctx)
		if err != nil {
			return nil, err
		}
		if len(names) > 0 {
			return nil, workflow.Fail("Found products that do not have a workflow associated with them", names)
		}
		return map[string]any{"check_that_products_have_at_least_one_workflow": true}, nil
	})
	modifyNote := workflow.NewStep("Check that all active products have a modify note", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		names, err := catalogue.New(ctx.DB).ActiveProductsWithout(ctx, ModifyNote)
		if err != nil {
			return nil, err
		}
		if len(names) > 0 {
			return nil, workflow.Fail("Found products that do not have a modify_note workflow", names)
		}
		return map[string]any{"check_that_active_products_have_a_modify_note": true}, nil
	})
	fixedInputs := workflow.NewStep("Check the DB fixed input config", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		s, err := modelStore(ctx)
		if err != nil {
			return nil, err
		}
		problems, err := checkFixedInputs(ctx, s.Registry())
		if err != nil {
			return nil, err
		}
		if len(problems) > 0 {
			return nil, workflow.Fail("Errors in fixed input config", problems)
		}
		return map[string]any{"check_db_fixed_input_config": true}, nil
	})
	complete := workflow.NewStep("Check that all products have a create, modify, terminate and validate workflow", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		names, err := catalogue.New(ctx.DB).ActiveProductsWithoutLifecycle(ctx, ModifyNote)
		if err != nil {
			return nil, err
		}
		// Reported, not failed, to allow exceptions.
		return map[string]any{
			"products_without_at_least_create_modify_terminate_validate_workflows": names,
			"check_that_products_have_create_modify_and_terminate_workflows":       true,
		}, nil
	})
	models := workflow.NewStep("Check subscription models", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		s, err := modelStore(ctx)
		if err != nil {
			return nil, err
		}
		subs, err := subscriptions(ctx, false)
		if err != nil {
			return nil, err
		}
		failures := map[string]any{}
		for _, sub := range subs {
			if _, err := s.Load(ctx, sub.SubscriptionID); err != nil {
				failures[sub.SubscriptionID.String()] = err.Error()
			}
		}
		if len(failures) > 0 {
			return nil, workflow.Fail("Found subscriptions that could not be loaded", failures)
		}
		return map[string]any{"check_subscription_models": true}, nil
	})
	return task(ValidateProducts, "Validate products", nil, allInDB, targets, atLeastOne, modifyNote, fixedInputs, complete, models)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func translations(dir string) (map[string]any, error) {
	data, err := os.ReadFile(filepath.Join(dir, "en-GB.json"))
	if err != nil {
		return nil, fmt.Errorf("tasks: TRANSLATIONS_DIR: %w", err)
	}
	var doc struct {
		Workflow map[string]any `json:"workflow"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("tasks: TRANSLATIONS_DIR: %s: %w", filepath.Join(dir, "en-GB.json"), err)
	}
	return doc.Workflow, nil
}

// checkFixedInputs compares the fixed inputs in the database with the registered product types: every fixed
// input must be declared by its product's type, with an allowed value, every declared fixed input must be there,
// and declared fixed inputs must be enums.
func checkFixedInputs(ctx *workflow.Context, reg *domain.Registry) ([]string, error) {
	store := catalogue.New(ctx.DB)
	all, err := store.FixedInputs(ctx)
	if err != nil {
		return nil, err
	}
	products, err := store.ProductNames(ctx)
	if err != nil {
		return nil, err
	}
	var problems []string
	have := map[string]map[string]bool{}
	for _, f := range all {
		if have[f.Product] == nil {
			have[f.Product] = map[string]bool{}
		}
		have[f.Product][f.Name] = true
		pt, ok := reg.Product(f.Product)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: fixed input %s: the product is not registered", f.Product, f.Name))
			continue
		}
		field := pt.Field(f.Name)
		if field == nil || field.Kind != domain.FixedInputField {
			problems = append(problems, fmt.Sprintf("%s: fixed input %s is not declared by product type %s", f.Product, f.Name, pt.Name))
			continue
		}
		if field.Value != nil && field.Value.Enum != nil && !slices.Contains(field.Value.Enum, f.Value) {
			problems = append(problems, fmt.Sprintf("%s: fixed input %s has value %q, not one of %s", f.Product, f.Name, f.Value, strings.Join(field.Value.Enum, ", ")))
		}
	}
	for _, name := range products {
		pt, ok := reg.Product(name)
		if !ok {
			continue
		}
		for _, field := range pt.FixedInputs() {
			if field.Value != nil && field.Value.Enum == nil {
				problems = append(problems, fmt.Sprintf("%s: fixed input %s of product type %s is not an enum", name, field.Name, pt.Name))
			}
			if !have[name][field.Name] {
				problems = append(problems, fmt.Sprintf("%s: fixed input %s is missing", name, field.Name))
			}
		}
	}
	sort.Strings(problems)
	return problems, nil
}

// subscriptions returns the subscriptions with their products (only those in sync with onlyInSync), by id.
func subscriptions(ctx *workflow.Context, onlyInSync bool) ([]*subscription.Listing, error) {
	subs, _, err := subscription.New(ctx.DB, nil).List(ctx, subscription.ListFilter{OnlyInsync: onlyInSync})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(subs, func(a, b *subscription.Listing) int {
		return strings.Compare(a.SubscriptionID.String(), b.SubscriptionID.String())
	})
	return subs, nil
}

// usableForValidation are the statuses a subscription is validated in: the union of what SYSTEM and VALIDATE
// workflows may run on.
func usableForValidation(lc domain.Lifecycle) bool {
	return slices.Contains(wrapper.DefaultUsable[workflow.TargetSystem], lc) || slices.Contains(wrapper.DefaultUsable[workflow.TargetValidate], lc)
}

// validate starts the VALIDATE workflows of each subscription's product on it (when its status is usable and,
// with a filter, its product type matches), logging and skipping subscriptions whose product has none and starts
// that fail. It reads everything before it starts anything: synchronously, the validations run inside the step.
func validate(ctx *workflow.Context, onlyInSync bool, productType string) ([]map[string]any, error) {
	subs, err := subscriptions(ctx, onlyInSync)
	if err != nil {
		return nil, err
	}
	byProduct, err := catalogue.New(ctx.DB).ValidationWorkflows(ctx)
	if err != nil {
		return nil, err
	}
	result := []map[string]any{}
	for _, s := range subs {
		wfs := byProduct[s.Product.ProductID]
		if len(wfs) == 0 {
			// The reference's scheduler stopped the whole loop here (break); the later task continues.
			ctx.Log().Warn("SubscriptionTable has no validation workflow", "subscription", s.SubscriptionID, "product", s.Product.Name)
			continue
		}
		var started []map[string]any
		for _, name := range wfs {
			if productType != "" && s.Product.ProductType != productType {
				continue
			}
			if !usableForValidation(domain.Lifecycle(s.Status)) {
				continue
			}
			if _, err := ctx.Processes.Start(ctx, name, map[string]any{"subscription_id": s.SubscriptionID.String()}); err != nil {
				ctx.Log().Warn("Could not start validation workflow", "workflow", name, "subscription", s.SubscriptionID, "error", err)
				continue
			}
			started = append(started, map[string]any{"workflow_name": name, "subscription_id": s.SubscriptionID.String(), "product_type": s.Product.ProductType})
		}
		if len(started) > 0 {
			result = append(result, map[string]any{"total_workflows_validated": len(started), "workflows": started})
		}
	}
	return result, nil
}

// productTypeForm offers the product types of the products in the database.
type productTypeForm struct{}

func (productTypeForm) Validate(fc *workflow.FormContext, input workflow.State) (workflow.State, error) {
	in, err := workflow.Decode[struct {
		ProductType string `json:"product_type" validate:"required"`
	}](fc, input)
	if err != nil {
		return nil, err
	}
	types, err := catalogue.New(fc.DB).ProductTypes(fc)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(types, in.ProductType) {
		quoted := make([]string, len(types))
		for i, t := range types {
			quoted[i] = "'" + t + "'"
		}
		return nil, workflow.FieldErrors{{Field: "product_type", Message: "value is not a valid enumeration member; permitted: " + strings.Join(quoted, ", ")}}
	}
	return workflow.State{"product_type": in.ProductType}, nil
}

func validateProductType() *workflow.Workflow {
	step := workflow.NewStep("Validate Product Type", func(ctx *workflow.Context, in struct {
		ProductType string `json:"product_type"`
	}) (map[string]any, error) {
		result, err := validate(ctx, true, in.ProductType)
		if err != nil {
			return nil, err
		}
		return map[string]any{"result": result}, nil
	})
	return task(ValidateProductType, "Validate all subscriptions of Product Type", productTypeForm{}, step)
}

func validateSubscriptions(outOfSync bool) *workflow.Workflow {
	step := workflow.NewStep("Validate subscriptions", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		result, err := validate(ctx, !outOfSync, "")
		if err != nil {
			return nil, err
		}
		return map[string]any{"result": result}, nil
	})
	return task(ValidateSubscriptions, "Validate subscriptions", nil, step)
}
