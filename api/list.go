package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/process"
)

// snake turns camelCase into snake_case (the reference accepts both in filters and sorts).
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Server) list(ctx context.Context, in *listInput) (*listOutput, error) {
	var f process.ListFilter
	if in.Filter != "" {
		items := strings.Split(in.Filter, ",")
		if len(items)%2 != 0 {
			return nil, problem(http.StatusBadRequest, "Invalid number of filter arguments")
		}
		for i := 0; i < len(items); i += 2 {
			field, value := snake(items[i]), items[i+1]
			alts := strings.Split(value, "|")
			switch field {
			case "last_status", "status":
				for _, a := range alts {
					f.Statuses = append(f.Statuses, process.Status(a))
				}
			case "workflow_name", "workflow":
				f.Workflows = append(f.Workflows, alts...)
			case "subscription_id", "subscription":
				id, err := uuid.Parse(value)
				if err != nil {
					return nil, problem(http.StatusBadRequest, fmt.Sprintf("400: %s is not a valid subscription id", value))
				}
				f.Subscription = id
			case "is_task":
				b := strings.EqualFold(value, "true")
				f.IsTask = &b
			case "note":
				// The reference's text filter: a leading ! negates, alternatives are separated by - or |.
				m := &process.TextMatch{}
				value, m.Negate = strings.CutPrefix(value, "!")
				m.Values = strings.FieldsFunc(value, func(r rune) bool { return r == '-' || r == '|' })
				f.Note = m
			default:
				return nil, problem(http.StatusBadRequest, "400: Invalid filter arguments")
			}
		}
	}
	if in.Sort != "" {
		items := strings.Split(in.Sort, ",")
		for i := 0; i+1 < len(items); i += 2 {
			order := strings.ToLower(items[i+1])
			if order != "asc" && order != "desc" {
				return nil, problem(http.StatusBadRequest, "Invalid sort arguments")
			}
			f.Sort = append(f.Sort, process.SortKey{Field: snake(items[i]), Desc: order == "desc"})
		}
	}
	var start, end int
	if in.Range != "" {
		a, b, ok := strings.Cut(in.Range, ",")
		if ok {
			var err1, err2 error
			start, err1 = strconv.Atoi(strings.TrimSpace(a))
			end, err2 = strconv.Atoi(strings.TrimSpace(b))
			if err1 != nil || err2 != nil || start < 0 {
				return nil, problem(http.StatusBadRequest, "range must be two integers: start,end")
			}
			if start >= end {
				return nil, problem(http.StatusBadRequest, "range start must be lower than end")
			}
			f.Offset, f.Limit = start, end-start
		}
	}
	ps, total, err := s.eng.List(ctx, f)
	if err != nil {
		if strings.Contains(err.Error(), process.ErrInvalidSort.Error()) {
			return nil, problem(http.StatusBadRequest, "Invalid sort arguments")
		}
		return nil, s.internal(ctx, "list processes", err)
	}
	out := &listOutput{Body: []*Process{}}
	if f.Limit > 0 {
		out.ContentRange = fmt.Sprintf("processes %d-%d/%d", start, end, total)
	}
	for _, p := range ps {
		wf, _ := s.eng.Registry().Get(p.Workflow)
		v, err := ProcessView(ctx, p, s.subs, wf, false, nil)
		if err != nil {
			return nil, s.internal(ctx, "list processes", err)
		}
		v.Traceback = strPtr(p.Traceback)
		out.Body = append(out.Body, v)
	}
	return out, nil
}
