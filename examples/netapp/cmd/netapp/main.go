// Command netapp is the example application of package netapp: wfo's command line with the example's products
// and revisions registered.
package main

import (
	"github.com/wfo-go/wfo/cli"
	"github.com/wfo-go/wfo/examples/netapp"
)

func main() {
	cli.Main(netapp.App())
}
