package process

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/database"
)

// ListFilter selects and orders the processes List returns. Zero values select everything.
type ListFilter struct {
	// Statuses keeps processes with one of these statuses.
	Statuses []Status
	// Workflows keeps processes of one of these workflows (by name).
	Workflows []string
	// Subscription keeps processes linked to this subscription (processes_subscriptions).
	Subscription uuid.UUID
	// IsTask, when set, keeps only tasks (true) or only workflows (false).
	IsTask *bool
	// Note, when set, keeps processes by their note (see TextMatch).
	Note *TextMatch
	// Sort orders the result, first key first; empty means newest first (started_at descending).
	Sort []SortKey
	// Offset skips that many processes; Limit returns at most that many (0: all).
	Offset, Limit int
}

// SortKey is one ordering of ListFilter.Sort.
type SortKey struct {
	// Field is one of SortFields.
	Field string
	Desc  bool
}

// sortColumns maps the fields a list sorts by to their columns.
var sortColumns = map[string]string{
	"pid": "p.pid", "process_id": "p.pid", "workflow_id": "p.workflow_id", "workflow_name": "w.name", "workflow": "w.name",
	"workflow_target": "w.target", "target": "w.target", "assignee": "p.assignee", "last_status": "p.last_status",
	"status": "p.last_status", "last_step": "p.last_step", "started_at": "p.started_at",
	"last_modified_at": "p.last_modified_at", "failed_reason": "p.failed_reason", "created_by": "p.created_by",
	"is_task": "p.is_task", "note": "LOWER(p.note)",
}

// SortFields are the fields ListFilter.Sort accepts.
func SortFields() []string {
	return []string{"assignee", "created_by", "failed_reason", "is_task", "last_modified_at", "last_status", "last_step",
		"note", "process_id", "started_at", "workflow_id", "workflow_name", "workflow_target"}
}

// List returns the processes the filter selects, without their steps and state, and how many there are in all
// (before Offset and Limit).
func (e *Engine) List(ctx context.Context, f ListFilter) ([]*Process, int, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "?"
	}
	if len(f.Statuses) > 0 {
		ph := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			ph[i] = arg(string(s))
		}
		where = append(where, "p.last_status IN ("+strings.Join(ph, ", ")+")")
	}
	if len(f.Workflows) > 0 {
		ph := make([]string, len(f.Workflows))
		for i, w := range f.Workflows {
			ph[i] = arg(w)
		}
		where = append(where, "w.name IN ("+strings.Join(ph, ", ")+")")
	}
	if f.Subscription != uuid.Nil {
		where = append(where, "EXISTS (SELECT 1 FROM processes_subscriptions ps WHERE ps.pid = p.pid AND ps.subscription_id = "+arg(f.Subscription)+")")
	}
	if f.IsTask != nil {
		where = append(where, "p.is_task = "+arg(*f.IsTask))
	}
	if f.Note != nil {
		where = append(where, f.Note.where("p.note", arg))
	}
	from := " FROM processes p JOIN workflows w ON w.workflow_id = p.workflow_id"
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := e.db.QueryRowContext(ctx, e.st.d.Rebind("SELECT COUNT(*)"+from), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("process: counting processes: %w", err)
	}
	var order []string
	for _, k := range f.Sort {
		col, ok := sortColumns[k.Field]
		if !ok {
			return nil, 0, fmt.Errorf("process: cannot sort by %q: use one of %s: %w", k.Field, strings.Join(SortFields(), ", "), ErrInvalidSort)
		}
		// PostgreSQL's placement of NULLs (last ascending, first descending) on SQLite too, which does the opposite.
		if k.Desc {
			col += " DESC NULLS FIRST"
		} else {
			col += " NULLS LAST"
		}
		order = append(order, col)
	}
	if len(order) == 0 {
		order = []string{"p.started_at DESC"}
	}
	order = append(order, "p.pid")
	query := "SELECT p.pid, w.name, w.target, p.is_task, p.last_status, p.last_step, p.assignee, p.failed_reason, p.traceback, " +
		"p.created_by, p.started_at, p.last_modified_at, p.workflow_id, p.note" + from + " ORDER BY " + strings.Join(order, ", ")
	if f.Limit > 0 {
		query += " LIMIT " + arg(f.Limit)
	} else if f.Offset > 0 {
		query += " " + e.st.d.NoLimit()
	}
	if f.Offset > 0 {
		query += " OFFSET " + arg(f.Offset)
	}
	rows, err := e.db.QueryContext(ctx, e.st.d.Rebind(query), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("process: listing processes: %w", err)
	}
	defer rows.Close()
	var out []*Process
	for rows.Next() {
		var p processRow
		var status string
		if err := rows.Scan(&p.pid, &p.workflow, &p.target, &p.isTask, &status, &p.lastStep, &p.assignee,
			&p.failedReason, &p.traceback, &p.createdBy, database.ScanTime{T: &p.startedAt}, database.ScanTime{T: &p.lastModified},
			&p.workflowID, &p.note); err != nil {
			return nil, 0, fmt.Errorf("process: listing processes: %w", err)
		}
		p.status = Status(status)
		out = append(out, p.process())
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("process: listing processes: %w", err)
	}
	rows.Close()
	if err := e.st.linkSubscriptions(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// linkSubscriptions fills the Subscriptions of processes from processes_subscriptions, in one query.
func (s *store) linkSubscriptions(ctx context.Context, ps []*Process) error {
	if len(ps) == 0 {
		return nil
	}
	byID := make(map[uuid.UUID]*Process, len(ps))
	ph := make([]string, len(ps))
	args := make([]any, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		ph[i] = "?"
		args[i] = p.ID
	}
	order := "ps.pid"
	if col := s.d.InsertOrder(); col != "" {
		order += ", ps." + col
	} else {
		order += ", ps.created_at"
	}
	rows, err := s.db.QueryContext(ctx, s.d.Rebind("SELECT ps.pid, ps.subscription_id FROM processes_subscriptions ps WHERE ps.pid IN ("+
		strings.Join(ph, ", ")+") ORDER BY "+order), args...)
	if err != nil {
		return fmt.Errorf("process: reading the subscriptions of processes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, sid uuid.UUID
		if err := rows.Scan(&pid, &sid); err != nil {
			return fmt.Errorf("process: reading the subscriptions of processes: %w", err)
		}
		if p := byID[pid]; p != nil {
			p.Subscriptions = append(p.Subscriptions, sid)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("process: reading the subscriptions of processes: %w", err)
	}
	return nil
}
