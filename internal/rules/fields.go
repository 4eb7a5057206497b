package rules

import (
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// Fields returns the names of the fields of root that source reads as
// root.NAME (sorted, without repeats), and whole = true when it uses root in
// any other way — as a value, or with a computed field name — or when the
// source does not parse. Callers use it to compute only the parts of an
// environment a rule reads (see profile.FeatureGroupsOf).
func Fields(source, root string) (fields []string, whole bool) {
	tree, err := parser.Parse(source)
	if err != nil {
		return nil, true
	}
	v := &fieldsVisitor{root: root}
	ast.Walk(&tree.Node, v)
	slices.Sort(v.fields)
	return slices.Compact(v.fields), v.whole || v.idents > v.members
}

type fieldsVisitor struct {
	root            string
	fields          []string
	idents, members int
	whole           bool
}

// Visit implements ast.Visitor.
func (v *fieldsVisitor) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.IdentifierNode:
		if x.Value == v.root {
			v.idents++
		}
	case *ast.MemberNode:
		id, ok := x.Node.(*ast.IdentifierNode)
		if !ok || id.Value != v.root {
			return
		}
		v.members++
		s, ok := x.Property.(*ast.StringNode)
		if !ok {
			v.whole = true
			return
		}
		v.fields = append(v.fields, s.Value)
	}
}
