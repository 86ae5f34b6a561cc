// Package testrules holds tests of the module's own tests: rules a linter does not check, such as that no
// goroutine a test starts stops the test (testify's require or t.Fatal from a goroutine other than the test's
// exits only that goroutine, leaving the test running on with a half-checked result).
package testrules
