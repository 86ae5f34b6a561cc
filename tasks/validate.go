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

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/domain"
	"github.com/wfo-go/wfo/process"
	"github.com/wfo-go/wfo/subscription"
	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/wrapper"
)

// column reads one string column.
func column(ctx *workflow.Context, query string, args ...any) ([]string, error) {
	rows, err := ctx.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("tasks: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("tasks: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

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
		inDB, err := column(ctx, "SELECT name FROM workflows WHERE deleted_at IS NULL ORDER BY name")
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
		var problems []string
		for _, w := range ctx.Registry.All() {
			var target string
			err := ctx.DB.QueryRowContext(ctx, "SELECT target FROM workflows WHERE name = $1", w.Name).Scan(&target)
			if err != nil {
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
		names, err := column(ctx, `SELECT p.name FROM products p WHERE NOT EXISTS (
    SELECT 1 FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE pw.product_id = p.product_id AND w.deleted_at IS NULL)
ORDER BY p.name`)
		if err != nil {
			return nil, err
		}
		if len(names) > 0 {
			return nil, workflow.Fail("Found products that do not have a workflow associated with them", names)
		}
		return map[string]any{"check_that_products_have_at_least_one_workflow": true}, nil
	})
	modifyNote := workflow.NewStep("Check that all active products have a modify note", func(ctx *workflow.Context, _ struct{}) (map[string]any, error) {
		names, err := column(ctx, `SELECT p.name FROM products p WHERE p.status = 'active' AND NOT EXISTS (
    SELECT 1 FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id WHERE pw.product_id = p.product_id AND w.name = $1)
ORDER BY p.name`, ModifyNote)
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
		names, err := column(ctx, `SELECT p.name FROM products p WHERE p.status = 'active' AND (
    SELECT count(DISTINCT w.target) FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id
    WHERE pw.product_id = p.product_id AND w.target IN ('CREATE', 'MODIFY', 'TERMINATE', 'VALIDATE') AND w.name <> $1 AND w.deleted_at IS NULL) < 4
ORDER BY p.name`, ModifyNote)
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
		ids, err := column(ctx, "SELECT subscription_id FROM subscriptions ORDER BY subscription_id")
		if err != nil {
			return nil, err
		}
		failures := map[string]any{}
		for _, id := range ids {
			uid, err := uuid.Parse(id)
			if err == nil {
				_, err = s.Load(ctx, uid)
			}
			if err != nil {
				failures[id] = err.Error()
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
	rows, err := ctx.DB.QueryContext(ctx, "SELECT p.name, f.name, f.value FROM fixed_inputs f JOIN products p ON p.product_id = f.product_id ORDER BY p.name, f.name")
	if err != nil {
		return nil, fmt.Errorf("tasks: reading fixed inputs: %w", err)
	}
	type fi struct{ product, name, value string }
	var all []fi
	for rows.Next() {
		var f fi
		if err := rows.Scan(&f.product, &f.name, &f.value); err != nil {
			rows.Close()
			return nil, fmt.Errorf("tasks: reading fixed inputs: %w", err)
		}
		all = append(all, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	products, err := column(ctx, "SELECT name FROM products ORDER BY name")
	if err != nil {
		return nil, err
	}
	var problems []string
	have := map[string]map[string]bool{}
	for _, f := range all {
		if have[f.product] == nil {
			have[f.product] = map[string]bool{}
		}
		have[f.product][f.name] = true
		pt, ok := reg.Product(f.product)
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: fixed input %s: the product is not registered", f.product, f.name))
			continue
		}
		field := pt.Field(f.name)
		if field == nil || field.Kind != domain.FixedInputField {
			problems = append(problems, fmt.Sprintf("%s: fixed input %s is not declared by product type %s", f.product, f.name, pt.Name))
			continue
		}
		if field.Value != nil && field.Value.Enum != nil && !slices.Contains(field.Value.Enum, f.value) {
			problems = append(problems, fmt.Sprintf("%s: fixed input %s has value %q, not one of %s", f.product, f.name, f.value, strings.Join(field.Value.Enum, ", ")))
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

// subscriptionRow is a subscription as the validators see it.
type subscriptionRow struct {
	id          uuid.UUID
	status      domain.Lifecycle
	productID   uuid.UUID
	productType string
	productName string
}

func subscriptions(ctx *workflow.Context, onlyInSync bool) ([]subscriptionRow, error) {
	query := "SELECT s.subscription_id, s.status, p.product_id, p.product_type, p.name FROM subscriptions s JOIN products p ON p.product_id = s.product_id"
	var args []any
	if onlyInSync {
		query += " WHERE s.insync = $1"
		args = append(args, true)
	}
	rows, err := ctx.DB.QueryContext(ctx, query+" ORDER BY s.subscription_id", args...)
	if err != nil {
		return nil, fmt.Errorf("tasks: reading subscriptions: %w", err)
	}
	defer rows.Close()
	var out []subscriptionRow
	for rows.Next() {
		var r subscriptionRow
		var status string
		if err := rows.Scan(&r.id, &status, &r.productID, &r.productType, &r.productName); err != nil {
			return nil, fmt.Errorf("tasks: reading subscriptions: %w", err)
		}
		r.status = domain.Lifecycle(status)
		out = append(out, r)
	}
	return out, rows.Err()
}

// validationWorkflows returns, per product, its VALIDATE workflows.
func validationWorkflows(ctx *workflow.Context) (map[uuid.UUID][]string, error) {
	rows, err := ctx.DB.QueryContext(ctx, `SELECT pw.product_id, w.name FROM products_workflows pw JOIN workflows w ON w.workflow_id = pw.workflow_id
WHERE w.target = 'VALIDATE' AND w.deleted_at IS NULL ORDER BY w.name`)
	if err != nil {
		return nil, fmt.Errorf("tasks: reading validation workflows: %w", err)
	}
	defer rows.Close()
	out := map[uuid.UUID][]string{}
	for rows.Next() {
		var pid uuid.UUID
		var name string
		if err := rows.Scan(&pid, &name); err != nil {
			return nil, fmt.Errorf("tasks: reading validation workflows: %w", err)
		}
		out[pid] = append(out[pid], name)
	}
	return out, rows.Err()
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
	byProduct, err := validationWorkflows(ctx)
	if err != nil {
		return nil, err
	}
	result := []map[string]any{}
	for _, s := range subs {
		wfs := byProduct[s.productID]
		if len(wfs) == 0 {
			// The reference's scheduler stopped the whole loop here (break); the later task continues.
			ctx.Log().Warn("SubscriptionTable has no validation workflow", "subscription", s.id, "product", s.productName)
			continue
		}
		var started []map[string]any
		for _, name := range wfs {
			if productType != "" && s.productType != productType {
				continue
			}
			if !usableForValidation(s.status) {
				continue
			}
			if _, err := ctx.Processes.Start(ctx, name, map[string]any{"subscription_id": s.id.String()}); err != nil {
				ctx.Log().Warn("Could not start validation workflow", "workflow", name, "subscription", s.id, "error", err)
				continue
			}
			started = append(started, map[string]any{"workflow_name": name, "subscription_id": s.id.String(), "product_type": s.productType})
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
	rows, err := fc.DB.QueryContext(fc, "SELECT DISTINCT product_type FROM products ORDER BY product_type")
	if err != nil {
		return nil, fmt.Errorf("tasks: reading product types: %w", err)
	}
	defer rows.Close()
	var types []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("tasks: reading product types: %w", err)
		}
		types = append(types, t)
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
