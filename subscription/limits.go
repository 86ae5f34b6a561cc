package subscription

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wfo-go/wfo/domain"
)

// The lengths, in characters, of the text columns a subscription is stored in: orchestrator-core bounds them since
// 4.8 (its revision d69e10434a04), and PostgreSQL refuses a longer value. The store checks them on both databases
// before it writes anything, so that a subscription that fits one fits the other.
const (
	MaxDescription = 2000  // subscriptions.description
	MaxNote        = 5000  // subscriptions.note
	MaxValue       = 10000 // subscription_instance_values.value, each element of a list
	MaxAttr        = 255   // subscription_instance_relations.domain_model_attr
)

// ErrTooLong: a text is longer than its column allows (MaxDescription, MaxNote, MaxValue, MaxAttr).
var ErrTooLong = errors.New("text too long for its column")

// tooLong reports a text over its column's limit: what it is, how long it is, and the limit.
func tooLong(what, column string, text string, limit int) error {
	if n := utf8.RuneCountInString(text); n > limit {
		return fmt.Errorf("%s has %d characters; %s holds at most %d: %w", what, n, column, limit, ErrTooLong)
	}
	return nil
}

// checkLimits checks every text Save would write against its column's length, first problem first: the
// description, the note, then each own instance's values (blocks in tree order, resource types sorted) and the
// relations' field names.
func checkLimits(base *domain.Subscription, tree *domain.Tree) error {
	if err := tooLong("the description", "subscriptions.description", base.Description, MaxDescription); err != nil {
		return err
	}
	if err := tooLong("the note", "subscriptions.note", base.Note, MaxNote); err != nil {
		return err
	}
	for _, inst := range tree.Instances {
		if inst.Owner != base.SubscriptionID {
			continue
		}
		rts := make([]string, 0, len(inst.Values))
		for rt := range inst.Values {
			rts = append(rts, rt)
		}
		slices.Sort(rts)
		for _, rt := range rts {
			for i, v := range inst.Values[rt] {
				what := fmt.Sprintf("the value of %s in block %s", rt, inst.Block)
				if len(inst.Values[rt]) > 1 {
					what = fmt.Sprintf("element %d of %s in block %s", i, rt, inst.Block)
				}
				if err := tooLong(what, "subscription_instance_values.value", v, MaxValue); err != nil {
					return err
				}
			}
		}
	}
	for _, r := range tree.Relations {
		if err := tooLong(fmt.Sprintf("the field name %q", r.Attr), "subscription_instance_relations.domain_model_attr", r.Attr, MaxAttr); err != nil {
			return err
		}
	}
	return nil
}

// storedNote is the note as the store writes it: nil (NULL) when empty or only white space, as the reference's
// revision d69e10434a04 normalises notes and its writers store them.
func storedNote(note string) any {
	if strings.TrimSpace(note) == "" {
		return nil
	}
	return note
}
