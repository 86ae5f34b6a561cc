package domainmigration

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// QuestionKind is what a question asks for.
type QuestionKind int

// The questions the SQL may need answered.
const (
	ProductDescription QuestionKind = iota + 1
	ProductTag
	FixedInputValue
	BlockDescription
	BlockTag
	ResourceTypeDescription
	DefaultValue
)

// Question is one value the SQL needs. Product is set for product and fixed-input questions, Block for block and
// default-value questions, ResourceType for resource-type and default-value questions.
type Question struct {
	Kind                                     QuestionKind
	Product, FixedInput, Block, ResourceType string
	// ProductType is the new product's product type (product questions).
	ProductType string
}

// The sections the questions come in, in order.
const (
	SectionProducts      = "Create new products"
	SectionFixedInputs   = "Create fixed inputs"
	SectionBlocks        = "Create product blocks"
	SectionResourceTypes = "Create resource types"
	SectionValues        = "Create subscription instance values"
)

// Asker answers the questions the SQL needs, section by section.
type Asker interface {
	// Section is called when a section of questions starts, also when it has none.
	Section(title string)
	// Ask answers a question about a value the application does not declare.
	Ask(q Question) (string, error)
}

// Declared returns what the application declared for the question, if anything.
func (c *Changes) Declared(q Question) (string, bool) {
	var v string
	switch q.Kind {
	case ProductDescription, ProductTag, FixedInputValue:
		p := c.model.Products[q.Product]
		if p == nil {
			return "", false
		}
		switch q.Kind {
		case ProductDescription:
			v = p.Description
		case ProductTag:
			v = p.Tag
		default:
			v = p.FixedInputValues[q.FixedInput]
		}
	case BlockDescription, BlockTag:
		b := c.model.Blocks[q.Block]
		if b == nil {
			return "", false
		}
		v = b.Description
		if q.Kind == BlockTag {
			v = b.Tag
		}
	case ResourceTypeDescription:
		v = c.model.ResourceTypeDescriptions[q.ResourceType]
	case DefaultValue:
		if b := c.model.Blocks[q.Block]; b != nil {
			var ok bool
			v, ok = b.Defaults[q.ResourceType]
			return v, ok
		}
	}
	return v, v != ""
}

// lit makes a SQL string literal: quotes doubled, so any text is safe (the reference left one statement
// unquoted, spec §8.9).
func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func list(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = lit(n)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

func pid(names ...string) string {
	return "(SELECT products.product_id FROM products WHERE products.name IN " + list(names) + ")"
}

func pbid(names ...string) string {
	return "(SELECT product_blocks.product_block_id FROM product_blocks WHERE product_blocks.name IN " + list(names) + ")"
}

func rtid(names ...string) string {
	return "(SELECT resource_types.resource_type_id FROM resource_types WHERE resource_types.resource_type IN " + list(names) + ")"
}

// script collects statements.
type script struct {
	b     strings.Builder
	count int
}

func (s *script) comment(format string, args ...any) {
	if s.b.Len() > 0 {
		s.b.WriteString("\n")
	}
	for line := range strings.SplitSeq(fmt.Sprintf(format, args...), "\n") {
		s.b.WriteString("-- " + line + "\n")
	}
}

func (s *script) stmt(format string, args ...any) {
	s.b.WriteString(fmt.Sprintf(format, args...) + ";\n")
	s.count++
}

// Statement shapes shared by upgrade and downgrade.

func (s *script) renameFixedInput(product, old, new string) {
	s.stmt("UPDATE fixed_inputs SET name = %s WHERE fixed_inputs.product_id IN %s AND fixed_inputs.name = %s", lit(new), pid(product), lit(old))
}

func (s *script) renameResourceType(old, new string) {
	s.stmt("UPDATE resource_types SET resource_type = %s WHERE resource_types.resource_type = %s", lit(new), lit(old))
}

// unlinkResourceType removes a resource type from blocks, with the values their instances hold of it (the
// reference's value statement matched nothing, spec §8.4).
func (s *script) unlinkResourceType(rt string, blocks []string) {
	s.stmt("DELETE FROM product_block_resource_types WHERE product_block_resource_types.product_block_id IN %s AND product_block_resource_types.resource_type_id IN %s", pbid(blocks...), rtid(rt))
	s.stmt("DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN %s AND subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN %s)", rtid(rt), pbid(blocks...))
}

func (s *script) unrelateBlocks(child string, parents []string) {
	s.stmt("DELETE FROM product_block_relations WHERE product_block_relations.in_use_by_id IN %s AND product_block_relations.depends_on_id IN %s", pbid(parents...), pbid(child))
}

func (s *script) unlinkBlock(block string, products []string) {
	s.stmt("DELETE FROM product_product_blocks WHERE product_product_blocks.product_id IN %s AND product_product_blocks.product_block_id IN %s", pid(products...), pbid(block))
}

func (s *script) deleteResourceTypes(names []string) {
	s.stmt("DELETE FROM subscription_instance_values WHERE subscription_instance_values.resource_type_id IN %s", rtid(names...))
	s.stmt("DELETE FROM resource_types WHERE resource_types.resource_type IN %s", list(names))
}

func (s *script) deleteBlocks(names []string) {
	s.stmt("DELETE FROM subscription_instances WHERE subscription_instances.product_block_id IN %s", pbid(names...))
	s.stmt("DELETE FROM product_blocks WHERE product_blocks.name IN %s", list(names))
}

func (s *script) deleteFixedInput(name string, products []string) {
	s.stmt("DELETE FROM fixed_inputs WHERE fixed_inputs.product_id IN %s AND fixed_inputs.name = %s", pid(products...), lit(name))
}

// deleteProducts deletes products with their subscriptions, the subscriptions' instances, and every process
// that touched them, as the reference does.
func (s *script) deleteProducts(names []string) {
	subs := "(SELECT subscriptions.subscription_id FROM subscriptions WHERE subscriptions.product_id IN " + pid(names...) + ")"
	s.stmt("DELETE FROM processes WHERE processes.pid IN (SELECT processes_subscriptions.pid FROM processes_subscriptions WHERE processes_subscriptions.subscription_id IN %s)", subs)
	s.stmt("DELETE FROM processes_subscriptions WHERE processes_subscriptions.subscription_id IN %s", subs)
	s.stmt("DELETE FROM subscription_instances WHERE subscription_instances.subscription_id IN %s", subs)
	s.stmt("DELETE FROM subscriptions WHERE subscriptions.product_id IN %s", pid(names...))
	s.stmt("DELETE FROM products WHERE products.name IN %s", list(names))
}

func (s *script) insertFixedInput(name string, products []string, values []string) {
	rows := make([]string, len(products))
	for i, p := range products {
		rows[i] = fmt.Sprintf("(%s, %s, %s)", lit(name), lit(values[i]), pid(p))
	}
	s.stmt("INSERT INTO fixed_inputs (name, value, product_id) VALUES %s", strings.Join(rows, ", "))
}

func (s *script) updateBlockResourceType(block, old, new string) {
	s.stmt("UPDATE product_block_resource_types SET resource_type_id = %s WHERE product_block_resource_types.product_block_id IN %s AND product_block_resource_types.resource_type_id IN %s", rtid(new), pbid(block), rtid(old))
}

func (s *script) updateValues(block, old, new string) {
	s.stmt("UPDATE subscription_instance_values SET resource_type_id = %s WHERE subscription_instance_values.subscription_instance_id IN (SELECT subscription_instances.subscription_instance_id FROM subscription_instances WHERE subscription_instances.product_block_id IN %s) AND subscription_instance_values.resource_type_id IN %s", rtid(new), pbid(block), rtid(old))
}

// newMarker labels instances created by the migration until their relations and values are written; instances
// made by the application never carry it, and the migration clears it again.
const newMarker = "wfo-new:"

// insertValues gives instances of a block a value of a resource type where they have none; with marked, only
// the instances the migration has just created.
func (s *script) insertValues(block, rt, value string, marked bool) {
	only := ""
	if marked {
		only = " AND subscription_instances.label LIKE " + lit(newMarker+"%")
	}
	s.stmt("INSERT INTO subscription_instance_values (subscription_instance_id, resource_type_id, value) SELECT subscription_instances.subscription_instance_id, resource_types.resource_type_id, %s FROM subscription_instances CROSS JOIN resource_types WHERE subscription_instances.product_block_id IN %s AND resource_types.resource_type = %s%s AND NOT EXISTS (SELECT 1 FROM subscription_instance_values v WHERE v.subscription_instance_id = subscription_instances.subscription_instance_id AND v.resource_type_id = resource_types.resource_type_id)",
		lit(value), pbid(block), lit(rt), only)
}

func (s *script) clearMarkers(block string) {
	s.stmt("UPDATE subscription_instances SET label = NULL WHERE subscription_instances.product_block_id IN %s AND subscription_instances.label LIKE %s", pbid(block), lit(newMarker+"%"))
}

// SQL writes the upgrade and downgrade, in the reference's order (spec §2.6, §2.7), asking for the values the
// application does not declare. Statements are separated by ";" and commented per change.
func (c *Changes) SQL(ask Asker) (upgrade, downgrade string, err error) {
	up, down := &script{}, &script{}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(askError); ok {
				err = e.err
				return
			}
			panic(r)
		}
	}()
	answer := func(q Question) string {
		if v, ok := c.Declared(q); ok {
			return v
		}
		v, err := ask.Ask(q)
		if err != nil {
			panic(askError{err})
		}
		return v
	}
	for _, r := range c.UpdateFixedInputs {
		up.comment("Rename fixed input %s of product %s to %s.", r.Old, r.Owner, r.New)
		up.renameFixedInput(r.Owner, r.Old, r.New)
	}
	for _, r := range c.RenameResourceTypes {
		up.comment("Rename resource type %s to %s.", r.Old, r.New)
		up.renameResourceType(r.Old, r.New)
	}
	for _, g := range c.DeleteResourceTypeLinks {
		up.comment("Remove resource type %s from %s, with its values.", g.Name, strings.Join(g.Members, ", "))
		up.unlinkResourceType(g.Name, g.Members)
	}
	for _, g := range c.DeleteBlockRelations {
		up.comment("Remove product block %s from %s.", g.Name, strings.Join(g.Members, ", "))
		up.unrelateBlocks(g.Name, g.Members)
	}
	for _, g := range c.DeleteProductBlockLinks {
		up.comment("Remove product block %s from %s.", g.Name, strings.Join(g.Members, ", "))
		up.unlinkBlock(g.Name, g.Members)
	}
	if len(c.DeleteResourceTypes) > 0 {
		up.comment("Delete resource types %s with their values.", strings.Join(c.DeleteResourceTypes, ", "))
		up.deleteResourceTypes(c.DeleteResourceTypes)
	}
	if len(c.DeleteBlocks) > 0 {
		up.comment("Delete product blocks %s with their instances.", strings.Join(c.DeleteBlocks, ", "))
		up.deleteBlocks(c.DeleteBlocks)
	}
	for _, g := range c.DeleteFixedInputs {
		up.comment("Delete fixed input %s of %s.", g.Name, strings.Join(g.Members, ", "))
		up.deleteFixedInput(g.Name, g.Members)
	}
	if len(c.DeleteProducts) > 0 {
		up.comment("Delete products %s with their subscriptions and the processes that touched them.", strings.Join(c.DeleteProducts, ", "))
		up.deleteProducts(c.DeleteProducts)
	}

	ask.Section(SectionProducts)
	for _, name := range c.CreateProducts {
		p := c.model.Products[name]
		desc := answer(Question{Kind: ProductDescription, Product: name, ProductType: p.Type})
		tag := answer(Question{Kind: ProductTag, Product: name, ProductType: p.Type})
		status := p.Status
		if status == "" {
			status = "active"
		}
		up.comment("Create product %s.", name)
		up.stmt("INSERT INTO products (name, description, product_type, tag, status) VALUES (%s, %s, %s, %s, %s)", lit(name), lit(desc), lit(p.Type), lit(tag), lit(status))
	}
	ask.Section(SectionFixedInputs)
	for _, g := range c.CreateFixedInputs {
		values := make([]string, len(g.Members))
		for i, p := range g.Members {
			values[i] = answer(Question{Kind: FixedInputValue, Product: p, FixedInput: g.Name})
		}
		up.comment("Create fixed input %s for %s.", g.Name, strings.Join(g.Members, ", "))
		up.insertFixedInput(g.Name, g.Members, values)
	}
	ask.Section(SectionBlocks)
	for _, name := range c.CreateBlocks {
		desc := answer(Question{Kind: BlockDescription, Block: name})
		tag := answer(Question{Kind: BlockTag, Block: name})
		status := c.model.Blocks[name].Status
		if status == "" {
			status = "active"
		}
		up.comment("Create product block %s.", name)
		up.stmt("INSERT INTO product_blocks (name, description, tag, status) VALUES (%s, %s, %s, %s)", lit(name), lit(desc), lit(tag), lit(status))
	}
	ask.Section(SectionResourceTypes)
	for _, rt := range c.CreateResourceTypes {
		desc := answer(Question{Kind: ResourceTypeDescription, ResourceType: rt})
		up.comment("Create resource type %s.", rt)
		up.stmt("INSERT INTO resource_types (resource_type, description) VALUES (%s, %s)", lit(rt), lit(desc))
	}
	for _, r := range c.UpdateBlockResourceTypes {
		up.comment("Product block %s: resource type %s becomes %s.", r.Owner, r.Old, r.New)
		up.updateBlockResourceType(r.Owner, r.Old, r.New)
	}
	for _, r := range c.UpdateBlockResourceTypes {
		up.comment("Move the values of %s in instances of %s to %s.", r.Old, r.Owner, r.New)
		up.updateValues(r.Owner, r.Old, r.New)
	}
	for _, g := range c.CreateProductBlockLinks {
		rows := make([]string, len(g.Members))
		for i, p := range g.Members {
			rows[i] = fmt.Sprintf("(%s, %s)", pid(p), pbid(g.Name))
		}
		up.comment("Add product block %s to %s.", g.Name, strings.Join(g.Members, ", "))
		up.stmt("INSERT INTO product_product_blocks (product_id, product_block_id) VALUES %s", strings.Join(rows, ", "))
	}
	for _, rel := range c.relationsByChild() {
		rows := make([]string, len(rel.Members))
		for i, parent := range rel.Members {
			rows[i] = fmt.Sprintf("(%s, %s)", pbid(parent), pbid(rel.Name))
		}
		up.comment("Add product block %s to %s.", rel.Name, strings.Join(rel.Members, ", "))
		up.stmt("INSERT INTO product_block_relations (in_use_by_id, depends_on_id) VALUES %s", strings.Join(rows, ", "))
	}
	for _, g := range c.CreateResourceTypeLinks {
		rows := make([]string, len(g.Members))
		for i, b := range g.Members {
			rows[i] = fmt.Sprintf("(%s, %s)", pbid(b), rtid(g.Name))
		}
		up.comment("Add resource type %s to %s.", g.Name, strings.Join(g.Members, ", "))
		up.stmt("INSERT INTO product_block_resource_types (product_block_id, resource_type_id) VALUES %s", strings.Join(rows, ", "))
	}

	ask.Section(SectionValues)
	// Values of the existing resource types of an existing block that gets new instances; the new resource
	// types are filled below for every instance.
	fillExisting := func(block string) {
		for _, rt := range c.model.Blocks[block].ResourceTypes {
			if c.valued(rt, block) {
				continue
			}
			v := answer(Question{Kind: DefaultValue, Block: block, ResourceType: rt})
			up.insertValues(block, rt, v, true)
		}
		up.clearMarkers(block)
	}
	for _, g := range c.CreateRootInstances {
		existed := c.existed(g.Name)
		label := "NULL"
		if existed {
			label = lit(newMarker)
		}
		up.comment("Give every subscription of %s an instance of %s (the subscriptions there are when this runs).", strings.Join(g.Members, ", "), g.Name)
		up.stmt("INSERT INTO subscription_instances (subscription_id, product_block_id, label) SELECT subscriptions.subscription_id, product_blocks.product_block_id, %s FROM subscriptions CROSS JOIN product_blocks WHERE subscriptions.product_id IN %s AND product_blocks.name = %s", label, pid(g.Members...), lit(g.Name))
		if existed {
			fillExisting(g.Name)
		}
	}
	for _, r := range c.CreateChildInstances {
		for _, a := range r.Attrs {
			for order := range a.Fill {
				up.comment("Give every instance of %s an instance of %s in %s (position %d).", r.Parent, r.Child, a.Name, order)
				up.stmt("INSERT INTO subscription_instances (subscription_id, product_block_id, label) SELECT parent.subscription_id, %s, %s || CAST(parent.subscription_instance_id AS TEXT) FROM subscription_instances parent WHERE parent.product_block_id IN %s", pbid(r.Child), lit(newMarker), pbid(r.Parent))
				up.stmt("INSERT INTO subscription_instance_relations (in_use_by_id, depends_on_id, order_id, domain_model_attr) SELECT parent.subscription_instance_id, child.subscription_instance_id, %d, %s FROM subscription_instances parent JOIN subscription_instances child ON child.label = %s || CAST(parent.subscription_instance_id AS TEXT) WHERE parent.product_block_id IN %s AND child.product_block_id IN %s", order, lit(a.Name), lit(newMarker), pbid(r.Parent), pbid(r.Child))
				if c.existed(r.Child) {
					fillExisting(r.Child)
				} else {
					up.clearMarkers(r.Child)
				}
			}
		}
	}
	for _, g := range c.CreateValues {
		for _, b := range g.Members {
			v := answer(Question{Kind: DefaultValue, Block: b, ResourceType: g.Name})
			up.comment("Give every instance of %s the value %s of %s.", b, lit(v), g.Name)
			up.insertValues(b, g.Name, v, false)
		}
	}

	// Downgrade.
	for _, g := range c.CreateResourceTypeLinks {
		down.comment("Remove resource type %s from %s, with its values.", g.Name, strings.Join(g.Members, ", "))
		down.unlinkResourceType(g.Name, g.Members)
	}
	for _, r := range c.UpdateBlockResourceTypes {
		down.comment("Product block %s: resource type %s becomes %s again.", r.Owner, r.New, r.Old)
		down.updateBlockResourceType(r.Owner, r.New, r.Old)
	}
	for _, r := range c.UpdateBlockResourceTypes {
		down.comment("Move the values of %s in instances of %s back to %s.", r.New, r.Owner, r.Old)
		down.updateValues(r.Owner, r.New, r.Old)
	}
	if len(c.CreateResourceTypes) > 0 {
		down.comment("Delete resource types %s with their values.", strings.Join(c.CreateResourceTypes, ", "))
		down.deleteResourceTypes(c.CreateResourceTypes)
	}
	for _, g := range c.CreateProductBlockLinks {
		down.comment("Remove product block %s from %s.", g.Name, strings.Join(g.Members, ", "))
		down.unlinkBlock(g.Name, g.Members)
	}
	for _, rel := range c.relationsByChild() {
		down.comment("Remove product block %s from %s.", rel.Name, strings.Join(rel.Members, ", "))
		down.unrelateBlocks(rel.Name, rel.Members)
	}
	for _, g := range c.CreateFixedInputs {
		down.comment("Delete fixed input %s of %s.", g.Name, strings.Join(g.Members, ", "))
		down.deleteFixedInput(g.Name, g.Members)
	}
	if len(c.CreateBlocks) > 0 {
		down.comment("Delete product blocks %s with their instances.", strings.Join(c.CreateBlocks, ", "))
		down.deleteBlocks(c.CreateBlocks)
	}
	if len(c.CreateProducts) > 0 {
		down.comment("Delete products %s with their subscriptions and the processes that touched them.", strings.Join(c.CreateProducts, ", "))
		down.deleteProducts(c.CreateProducts)
	}
	for _, g := range c.DeleteFixedInputs {
		values := make([]string, len(g.Members))
		for i, p := range g.Members {
			values[i] = c.cat.Products[p].FixedInputs[g.Name]
		}
		down.comment("Restore fixed input %s of %s with the values it had when this revision was written.", g.Name, strings.Join(g.Members, ", "))
		down.insertFixedInput(g.Name, g.Members, values)
	}
	for _, r := range slices.Backward(c.RenameResourceTypes) {
		down.comment("Rename resource type %s back to %s.", r.New, r.Old)
		down.renameResourceType(r.New, r.Old)
	}
	for _, r := range slices.Backward(c.UpdateFixedInputs) {
		down.comment("Rename fixed input %s of product %s back to %s.", r.New, r.Owner, r.Old)
		down.renameFixedInput(r.Owner, r.New, r.Old)
	}

	if c.Empty() {
		return "", "", nil
	}
	head := "BACKUP DATABASE BEFORE USING THE MIGRATION!"
	upgrade = "-- " + head + "\n\n" + up.b.String()
	notes := c.Irreversible()
	dhead := "-- Does not revert deleted subscription instances and subscription instance values!\n"
	if len(notes) > 0 {
		dhead += "-- It does not restore what the upgrade deleted:\n"
		for _, n := range notes {
			dhead += "--   " + n + "\n"
		}
	}
	downgrade = dhead
	if down.count > 0 {
		downgrade += "\n" + down.b.String()
	}
	return upgrade, downgrade, nil
}

type askError struct{ err error }

// valued reports whether the resource type gets values in the block's instances from CreateValues.
func (c *Changes) valued(rt, block string) bool {
	for _, g := range c.CreateValues {
		if g.Name == rt && slices.Contains(g.Members, block) {
			return true
		}
	}
	return false
}

// relationsByChild groups the new block relations by child: child → parents.
func (c *Changes) relationsByChild() []Group {
	g := grouper{}
	for _, r := range c.CreateBlockRelations {
		g.add(r.Child, r.Parent)
	}
	return g.groups()
}

// Irreversible lists what the upgrade deletes and the downgrade cannot bring back, one line each.
func (c *Changes) Irreversible() []string {
	var out []string
	if len(c.DeleteProducts) > 0 {
		out = append(out, "products "+strings.Join(c.DeleteProducts, ", ")+", their subscriptions and the processes that touched them")
	}
	if len(c.DeleteBlocks) > 0 {
		out = append(out, "product blocks "+strings.Join(c.DeleteBlocks, ", ")+" and their instances")
	}
	if len(c.DeleteResourceTypes) > 0 {
		out = append(out, "resource types "+strings.Join(c.DeleteResourceTypes, ", ")+" and their values")
	}
	rts := map[string]bool{}
	for _, g := range c.DeleteResourceTypeLinks {
		if !slices.Contains(c.DeleteResourceTypes, g.Name) {
			rts[g.Name+" in "+strings.Join(g.Members, ", ")] = true
		}
	}
	if len(rts) > 0 {
		out = append(out, "the values of resource types removed from blocks: "+strings.Join(slices.Sorted(maps.Keys(rts)), "; "))
	}
	if len(c.DeleteBlockRelations)+len(c.DeleteProductBlockLinks) > 0 {
		out = append(out, "the removed relations between products and blocks")
	}
	return out
}
