package schemadiff

import "strings"

// coreTables are the tables of orchestrator-core's schema (every release up to 5.3.0, including tables later
// releases create only on PostgreSQL) and Alembic's version table. They belong to the core's revisions: an
// application's desired state never declares them and a diff never inspects or changes them.
var coreTables = []string{
	"agent_queries",
	"agent_runs",
	"ai_search_index",
	"ai_search_paths",
	"alembic_version",
	"apscheduler_jobs",
	"engine_settings",
	"fixed_inputs",
	"graph_snapshots",
	"input_states",
	"process_step_relations",
	"process_steps",
	"processes",
	"processes_subscriptions",
	"product_block_relations",
	"product_block_resource_types",
	"product_blocks",
	"product_product_blocks",
	"products",
	"products_workflows",
	"resource_types",
	"search_queries",
	"subscription_customer_descriptions",
	"subscription_instance_relations",
	"subscription_instance_values",
	"subscription_instances",
	"subscription_metadata",
	"subscriptions",
	"subscriptions_search",
	"workflows",
	"workflows_apscheduler_jobs",
}

// reservedPrefix starts the names of wfo's own tables (the scheduler's state, for one).
const reservedPrefix = "wfo_"

// IsCoreTable reports whether a table belongs to the core or to wfo itself rather than to the application.
func IsCoreTable(name string) bool {
	name = strings.ToLower(name)
	if strings.HasPrefix(name, reservedPrefix) {
		return true
	}
	for _, t := range coreTables {
		if t == name {
			return true
		}
	}
	return false
}

// excludePatterns keeps the core's and wfo's tables out of an inspection of the live database.
func excludePatterns() []string {
	return append([]string{reservedPrefix + "*"}, coreTables...)
}
