// Command goscan is Reciprocal's static look at Go, with go/parser and go/ast: harness.py runs
// it as the runner user before anything of the candidate's is built, and it never compiles or
// runs what it reads. It writes JSON lines to the harness's pipe (fd RECIPROCAL_CHANNEL_FD):
//
//	goscan <submission> <hidden>
//
//   - {"kind": "finding", file, line, detail}: test-tool tampering in the submission's own
//     .go files (vendor, .git and its *_test.go files, which the hidden tests replace, skipped): TestMain, os.Stdout or os.Stderr replaced or written
//     to directly, text that imitates go test's output, os.Exit outside main, descriptors
//     redirected through syscall, unsafe, go:linkname, the testing package outside tests.
//   - {"kind": "tests", file, names}: each hidden *_test.go file's top-level tests, the
//     functions go test runs (TestXxx(*testing.T)), read from the syntax tree.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	goscanner "go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxFileBytes = 1_000_000
	maxFiles     = 5_000
	maxFindings  = 40
)

var out *os.File

func send(record map[string]any) {
	data, _ := json.Marshal(record)
	_, _ = out.Write(append(data, '\n'))
}

// sources lists the .go files under root, skipping vendor, .git and links.
func sources(root string, keep func(string) bool) []string {
	var found []string
	_ = filepath.WalkDir(root, func(path string, entry fs.DirEntry, err error) error {
		if err != nil || len(found) >= maxFiles {
			return filepath.SkipDir
		}
		if entry.IsDir() {
			if path != root && (entry.Name() == "vendor" || entry.Name() == ".git") {
				return filepath.SkipDir
			}
			return nil
		}
		if entry.Type().IsRegular() && keep(entry.Name()) {
			if info, err := entry.Info(); err == nil && info.Size() <= maxFileBytes {
				found = append(found, path)
			}
		}
		return nil
	})
	sort.Strings(found)
	return found
}

// imports maps each local package name of the file to its import path.
func imports(file *ast.File) map[string]string {
	names := map[string]string{}
	for _, spec := range file.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		local := path[strings.LastIndex(path, "/")+1:]
		if spec.Name != nil {
			local = spec.Name.Name
		}
		names[local] = path
	}
	return names
}

// selector returns "importpath.Name" for pkg.Name when pkg is an imported package.
func selector(expr ast.Expr, names map[string]string) string {
	sel, ok := expr.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	ident, ok := sel.X.(*ast.Ident)
	if !ok || ident.Obj != nil {
		return ""
	}
	path, ok := names[ident.Name]
	if !ok {
		return ""
	}
	return path + "." + sel.Sel.Name
}

var imitations = []string{"--- PASS", "--- FAIL", "=== RUN", "=== PAUSE", "=== CONT", "PASS\n", "ok  \t"}

type scanner struct {
	fset     *token.FileSet
	rel      string
	names    map[string]string
	findings []map[string]any
}

// add records a finding; alters is true for what has no honest use in an assignment and only
// serves to change what the test tool reports (the verdict cannot be trusted), false for a
// warning a reviewer weighs.
func (s *scanner) add(node ast.Node, detail string, alters bool) {
	s.findings = append(s.findings, map[string]any{
		"kind": "finding", "file": s.rel, "line": s.fset.Position(node.Pos()).Line, "detail": detail,
		"alters": alters,
	})
}

func (s *scanner) stdStream(expr ast.Expr) string {
	switch selector(expr, s.names) {
	case "os.Stdout":
		return "os.Stdout"
	case "os.Stderr":
		return "os.Stderr"
	}
	return ""
}

func scanFile(fset *token.FileSet, rel string, file *ast.File) []map[string]any {
	s := &scanner{fset: fset, rel: rel, names: imports(file)}
	isTest := strings.HasSuffix(rel, "_test.go")
	for _, spec := range file.Imports {
		path, _ := strconv.Unquote(spec.Path.Value)
		switch {
		case path == "unsafe":
			s.add(spec, "imports unsafe", false)
		case path == "testing" && !isTest:
			s.add(spec, "uses the testing package outside the tests", false)
		case path == "testing/internal/testdeps":
			s.add(spec, "imports the test binary's internals (testing/internal/testdeps)", true)
		}
	}
	for _, group := range file.Comments {
		for _, comment := range group.List {
			if strings.HasPrefix(comment.Text, "//go:linkname") {
				s.add(comment, "uses go:linkname, which can reach into the testing package", true)
			}
		}
	}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if ok && fn.Recv == nil && fn.Name.Name == "TestMain" {
			s.add(fn, "defines TestMain, which controls the test binary", false)
		}
		inMain := ok && fn.Recv == nil && fn.Name.Name == "main" && file.Name.Name == "main"
		ast.Inspect(decl, func(node ast.Node) bool {
			switch n := node.(type) {
			case *ast.AssignStmt:
				for _, left := range n.Lhs {
					if stream := s.stdStream(left); stream != "" {
						s.add(n, "replaces "+stream, true)
					}
				}
			case *ast.CallExpr:
				s.call(n, inMain)
			case *ast.BasicLit:
				if n.Kind == token.STRING && !isTest {
					if text, err := strconv.Unquote(n.Value); err == nil {
						for _, marker := range imitations {
							if strings.Contains(text, marker) {
								s.add(n, "prints text that imitates go test's output ("+
									strings.TrimSpace(marker)+")", true)
								break
							}
						}
					}
				}
			}
			return true
		})
	}
	return s.findings
}

func (s *scanner) call(n *ast.CallExpr, inMain bool) {
	called := selector(n.Fun, s.names)
	if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
		if stream := s.stdStream(sel.X); stream != "" {
			if strings.HasPrefix(sel.Sel.Name, "Write") {
				s.add(n, "writes to "+stream+" directly ("+stream+"."+sel.Sel.Name+")", false)
			} else {
				s.add(n, "handles "+stream+" itself ("+stream+"."+sel.Sel.Name+")", true)
			}
			return
		}
	}
	switch {
	case called == "syscall.Close" || called == "golang.org/x/sys/unix.Close" ||
		called == "os.NewFile":
		s.add(n, "reaches a descriptor by number ("+called+"), which can silence go test's output",
			true)
	case called == "os.Exit" && !inMain:
		s.add(n, "calls os.Exit, which ends the test binary without its verdict", false)
	case strings.HasPrefix(called, "fmt.Fprint") && len(n.Args) > 0 && s.stdStream(n.Args[0]) != "":
		s.add(n, "writes to "+s.stdStream(n.Args[0])+" directly ("+called+")", false)
	case strings.HasSuffix(called, ".Dup2") || strings.HasSuffix(called, ".Dup3"):
		if strings.HasPrefix(called, "syscall.") || strings.HasPrefix(called, "golang.org/x/sys/unix.") {
			s.add(n, "redirects a descriptor through "+called, true)
		}
	case called == "syscall.Exit" || called == "golang.org/x/sys/unix.Exit":
		s.add(n, "exits through "+called, false)
	}
}

// testName reports whether name is one go test runs: Test, or Test followed by a non-lowercase.
func testName(name string) bool {
	if !strings.HasPrefix(name, "Test") {
		return false
	}
	rest := name[len("Test"):]
	if rest == "" {
		return true
	}
	first, _ := utf8.DecodeRuneInString(rest)
	return !unicode.IsLower(first)
}

func topLevelTests(file *ast.File) []string {
	names := imports(file)
	tests := []string{}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || fn.Type.TypeParams != nil || !testName(fn.Name.Name) ||
			fn.Name.Name == "TestMain" || fn.Type.Results != nil || len(fn.Type.Params.List) != 1 {
			continue
		}
		param := fn.Type.Params.List[0]
		star, ok := param.Type.(*ast.StarExpr)
		if ok && len(param.Names) <= 1 && selector(star.X, names) == "testing.T" {
			tests = append(tests, fn.Name.Name)
		}
	}
	return tests
}

func main() {
	fd, err := strconv.Atoi(os.Getenv("RECIPROCAL_CHANNEL_FD"))
	if err != nil || len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: RECIPROCAL_CHANNEL_FD=N goscan <submission> <hidden>")
		os.Exit(2)
	}
	out = os.NewFile(uintptr(fd), "channel")
	submission, hidden := os.Args[1], os.Args[2]
	// The candidate's own *_test.go files are removed before the hidden tests are copied in.
	isGo := func(name string) bool {
		return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
	}
	findings := 0
	for _, path := range sources(submission, isGo) {
		rel, _ := filepath.Rel(submission, path)
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			var line any
			if list, ok := err.(goscanner.ErrorList); ok && len(list) > 0 {
				line = list[0].Pos.Line
			}
			send(map[string]any{"kind": "finding", "file": rel, "line": line,
				"detail": "could not be parsed as Go, so it was not checked", "alters": false})
			findings++
		} else {
			for _, item := range scanFile(fset, rel, file) {
				if findings >= maxFindings {
					break
				}
				send(item)
				findings++
			}
		}
		if findings >= maxFindings {
			break
		}
	}
	isTest := func(name string) bool { return strings.HasSuffix(name, "_test.go") }
	for _, path := range sources(hidden, isTest) {
		rel, _ := filepath.Rel(hidden, path)
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			send(map[string]any{"kind": "dynamic", "file": rel, "reason": "could not be parsed"})
			continue
		}
		send(map[string]any{"kind": "tests", "file": rel, "names": topLevelTests(file)})
	}
}
