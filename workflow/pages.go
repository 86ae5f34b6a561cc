package workflow

// Pages returns the pages of a form, in the order a client is asked them: the forms combined with Forms, each on
// its own page (a create workflow's product, then the application's form), or the form itself. A nil form is the
// empty form's one page.
func Pages(f Form) []Form {
	switch f := f.(type) {
	case nil:
		return []Form{EmptyForm}
	case multiForm:
		var out []Form
		for _, p := range f {
			if p != nil {
				out = append(out, Pages(p)...)
			}
		}
		if len(out) == 0 {
			return []Form{EmptyForm}
		}
		return out
	}
	return []Form{f}
}
