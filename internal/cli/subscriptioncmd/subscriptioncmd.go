// Package subscriptioncmd implements the "subscription" command group: list subscriptions and show one with its
// instance tree and the subscriptions it uses and is used by. The work is package subscription's.
package subscriptioncmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wfo-go/wfo/api"
	"github.com/wfo-go/wfo/internal/cli/base"
	"github.com/wfo-go/wfo/subscription"
)

// New returns the subscription command group.
func New(env *base.Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "subscription",
		Short: "List subscriptions and show one with its instance tree.",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newList(env), newShow(env))
	return cmd
}

func open(cmd *cobra.Command, env *base.Env) (*subscription.Store, func(), error) {
	db, err := env.OpenExistingDB(cmd.Context())
	if err != nil {
		return nil, nil, err
	}
	if db == nil {
		return nil, nil, errors.New("subscription: the database does not exist yet; run 'db upgrade heads' first")
	}
	return subscription.New(db, env.DomainModel()), func() { db.Close() }, nil
}

func newList(env *base.Env) *cobra.Command {
	var products, statuses []string
	var customer string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List subscriptions, newest first.",
		Long: "List subscriptions, newest first (not yet started ones first): id, product, status, in sync, " +
			"customer and description. --product and --status may be repeated (or comma-separated).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 0 {
				return fmt.Errorf("%w: --limit must be 0 (all) or more", base.ErrUsage)
			}
			subs, closeDB, err := open(cmd, env)
			if err != nil {
				return err
			}
			defer closeDB()
			rows, total, err := subs.List(cmd.Context(), subscription.ListFilter{Products: products, Statuses: statuses, CustomerID: customer, Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]api.SubscriptionRow, 0, len(rows))
				for _, r := range rows {
					out = append(out, api.SubscriptionOf(r))
				}
				return writeJSON(env.Stdout, out)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "SUBSCRIPTION\tPRODUCT\tSTATUS\tINSYNC\tCUSTOMER\tDESCRIPTION")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%s\t%s\n", r.SubscriptionID, r.Product.Name, r.Status, r.Insync, r.CustomerID, r.Description)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if len(rows) < total {
				fmt.Fprintf(env.Stdout, "(%d of %d subscriptions; --limit 0 lists all)\n", len(rows), total)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&products, "product", nil, "only subscriptions of this product (by name)")
	f.StringSliceVar(&statuses, "status", nil, "only subscriptions in this lifecycle (initial, provisioning, active, disabled, terminated, migrating)")
	f.StringVar(&customer, "customer", "", "only this customer's subscriptions")
	f.IntVar(&limit, "limit", 50, "at most this many subscriptions (0: all)")
	f.BoolVar(&asJSON, "json", false, "print the subscriptions as JSON")
	return cmd
}

func newShow(env *base.Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a subscription: its product, status, instance tree with values, in use by and depends on.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("%w: missing argument 'ID'", base.ErrUsage)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return fmt.Errorf("%w: ID %q is not a UUID", base.ErrUsage, args[0])
			}
			subs, closeDB, err := open(cmd, env)
			if err != nil {
				return err
			}
			defer closeDB()
			ctx := cmd.Context()
			model, err := api.DomainModel(ctx, subs, id)
			if err != nil {
				return err
			}
			inUseBy, err := subs.InUseBy(ctx, id)
			if err != nil {
				return err
			}
			dependsOn, err := subs.DependsOn(ctx, id)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(env.Stdout, struct {
					Subscription json.RawMessage `json:"subscription"`
					InUseBy      []api.Related   `json:"in_use_by"`
					DependsOn    []api.Related   `json:"depends_on"`
				}{model, api.RelatedOf(inUseBy), api.RelatedOf(dependsOn)})
			}
			return show(env.Stdout, model, inUseBy, dependsOn)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the subscription (the API's domain-model shape), in use by and depends on as JSON")
	return cmd
}

// header are the keys of a domain-model body shown above the tree.
var header = []string{"subscription_id", "description", "status", "insync", "customer_id", "start_date", "end_date", "note", "version"}

func show(w io.Writer, model json.RawMessage, inUseBy, dependsOn []subscription.Summary) error {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(model)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return err
	}
	keys, err := api.ObjectKeys(model)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	for _, k := range header {
		v := m[k]
		if v == nil {
			continue
		}
		if k == "start_date" || k == "end_date" {
			if f, err := v.(json.Number).Float64(); err == nil {
				v = time.UnixMicro(int64(f * 1e6)).UTC().Format("2006-01-02 15:04:05")
			}
		}
		fmt.Fprintf(tw, "%s:\t%v\n", label(k), v)
	}
	if p, ok := m["product"].(map[string]any); ok {
		fmt.Fprintf(tw, "Product:\t%v (%v, tag %v)\n", p["name"], p["product_type"], p["tag"])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "Instances:")
	skip := map[string]bool{"product": true, "product_id": true, "name": true, "customer_descriptions": true, "tag": true}
	for _, k := range header {
		skip[k] = true
	}
	for _, k := range keys {
		if !skip[k] {
			tree(w, "  ", k, m[k])
		}
	}
	for _, rel := range []struct {
		title string
		list  []subscription.Summary
	}{{"In use by", inUseBy}, {"Depends on", dependsOn}} {
		if len(rel.list) == 0 {
			fmt.Fprintf(w, "%s: none\n", rel.title)
			continue
		}
		fmt.Fprintf(w, "%s:\n", rel.title)
		for _, s := range rel.list {
			fmt.Fprintf(w, "  %s %s (%s, %s, insync %t)\n", s.SubscriptionID, s.Description, s.ProductName, s.Status, s.Insync)
		}
	}
	return nil
}

func label(k string) string {
	s := strings.ReplaceAll(k, "_", " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// tree prints a value of the model: scalars on the key's line, objects and lists below it, indented.
func tree(w io.Writer, indent, key string, v any) {
	switch x := v.(type) {
	case map[string]any:
		fmt.Fprintf(w, "%s%s:\n", indent, key)
		ks := make([]string, 0, len(x))
		for k := range x {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		for _, k := range ks {
			tree(w, indent+"  ", k, x[k])
		}
	case []any:
		if len(x) == 0 {
			fmt.Fprintf(w, "%s%s: []\n", indent, key)
			return
		}
		fmt.Fprintf(w, "%s%s:\n", indent, key)
		for i, item := range x {
			tree(w, indent+"  ", fmt.Sprintf("[%d]", i), item)
		}
	case nil:
		fmt.Fprintf(w, "%s%s: null\n", indent, key)
	default:
		fmt.Fprintf(w, "%s%s: %v\n", indent, key, x)
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
