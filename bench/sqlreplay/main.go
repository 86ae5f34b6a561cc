// Command sqlreplay runs a SQL script, statement by statement, against the database of DATABASE_URI through the
// same database layer wfo uses (same drivers, same connection settings).
//
//	DATABASE_URI=... go run ./bench/sqlreplay FILE
//
// bench/run.sh feeds it the output of "wfo db upgrade heads --sql": the exact statements, BEGIN and COMMIT included,
// that wfo runs for the upgrade, but without planning, reading the revision files or checking the version table
// before each revision. Timing it against "wfo db upgrade heads" separates wfo's own work from the database's and
// the driver's. For SQLite the driver is modernc.org/sqlite, which runs in the process; timing the script with the
// sqlite3 shell instead also counts the difference between that driver and the C library.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/wfo-go/wfo/database"
	"github.com/wfo-go/wfo/migration/sqlsplit"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: DATABASE_URI=... sqlreplay FILE")
		os.Exit(2)
	}
	if err := run(context.Background(), os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "sqlreplay:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, file string) error {
	script, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	stmts, err := sqlsplit.Split(string(script), 0)
	if err != nil {
		return err
	}
	loc, err := database.ParseURI(os.Getenv("DATABASE_URI"))
	if err != nil {
		return err
	}
	db, err := database.Open(ctx, loc)
	if err != nil {
		return err
	}
	defer db.Close()
	// One connection for the whole script, so that its BEGIN and COMMIT statements bracket what lies between them.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s.SQL); err != nil {
			return fmt.Errorf("%s:%d: %w", file, s.Line, err)
		}
	}
	return nil
}
