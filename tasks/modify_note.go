package tasks

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wfo-go/wfo/workflow"
	"github.com/wfo-go/wfo/wrapper"
)

// noteForm asks the new note; without one, the note stays as it is (the reference's form is pre-filled with it).
type noteForm struct{}

func (noteForm) Validate(fc *workflow.FormContext, input workflow.State) (workflow.State, error) {
	in, err := workflow.Decode[struct {
		SubscriptionID uuid.UUID `json:"subscription_id"`
		Note           *string   `json:"note" validate:"max=5000"`
	}](fc, input)
	if err != nil {
		return nil, err
	}
	var old sql.NullString
	err = fc.DB.QueryRowContext(fc, "SELECT note FROM subscriptions WHERE subscription_id = $1", in.SubscriptionID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, workflow.FieldErrors{{Field: "subscription_id", Message: "Subscription not found"}}
	}
	if err != nil {
		return nil, fmt.Errorf("tasks: reading the note of %s: %w", in.SubscriptionID, err)
	}
	note := old.String
	if in.Note != nil {
		note = *in.Note
	}
	return workflow.State{"old_note": nullable(old), "note": note}, nil
}

func nullable(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

func modifyNote() *workflow.Workflow {
	store := workflow.NewStep("Store note", func(ctx *workflow.Context, in struct {
		SubscriptionID uuid.UUID `json:"subscription_id"`
		Note           string    `json:"note"`
	}) (map[string]any, error) {
		tx, err := ctx.Tx()
		if err != nil {
			return nil, err
		}
		// An empty note is stored as NULL, as the subscription store writes it.
		var note any
		if strings.TrimSpace(in.Note) != "" {
			note = in.Note
		}
		if _, err := tx.ExecContext(ctx, "UPDATE subscriptions SET note = $1 WHERE subscription_id = $2", note, in.SubscriptionID); err != nil {
			return nil, fmt.Errorf("tasks: storing the note of %s: %w", in.SubscriptionID, err)
		}
		return map[string]any{"note": note}, nil
	})
	return &workflow.Workflow{
		Name: ModifyNote, Target: workflow.TargetModify, Description: "Modify Note",
		Form:  workflow.Forms(wrapper.SubscriptionForm(wrapper.UsableWhileOutOfSync()), noteForm{}),
		Steps: []workflow.Step{workflow.Init, wrapper.StoreProcessSubscription, store, workflow.Done},
	}
}
