package wfo_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/wfo-go/wfo/database"
)

// printCatalogue is the script command catalogue: it prints the products, fixed inputs and product blocks of the
// database in DATABASE_URI, sorted, one per line, so a script can check what a data migration stored.
func printCatalogue() int {
	ctx := context.Background()
	loc, err := database.ParseURI(os.Getenv("DATABASE_URI"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	db, err := database.Open(ctx, loc)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	queries := []struct{ prefix, query string }{
		{"product", `SELECT p.name || ' (' || p.product_type || ') tag ' || p.tag || ' blocks ' || COALESCE((SELECT MIN(pb.name) FROM product_product_blocks ppb
JOIN product_blocks pb ON pb.product_block_id = ppb.product_block_id WHERE ppb.product_id = p.product_id), '-') FROM products p ORDER BY p.name`},
		{"fixed input", `SELECT p.name || ': ' || fi.name || ' = ' || fi.value FROM fixed_inputs fi JOIN products p ON p.product_id = fi.product_id ORDER BY p.name, fi.name`},
		{"block", `SELECT pb.name || ': ' || rt.resource_type FROM product_block_resource_types x JOIN product_blocks pb ON pb.product_block_id = x.product_block_id
JOIN resource_types rt ON rt.resource_type_id = x.resource_type_id ORDER BY pb.name, rt.resource_type`},
		{"relation", `SELECT a.name || ' -> ' || b.name FROM product_block_relations r JOIN product_blocks a ON a.product_block_id = r.in_use_by_id
JOIN product_blocks b ON b.product_block_id = r.depends_on_id ORDER BY a.name, b.name`},
	}
	for _, q := range queries {
		if err := printRows(db.DB, q.prefix, q.query); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

func printRows(db *sql.DB, prefix, query string) error {
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		fmt.Println(prefix, strings.TrimSpace(line))
	}
	return rows.Err()
}
