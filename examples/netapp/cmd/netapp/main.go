// Command netapp is the example application of package netapp: wfo's command line with the example's products
// and revisions registered.
package main

import (
	"os"

	"github.com/wfo-go/wfo/examples/netapp"
)

func main() {
	os.Exit(netapp.App().Main(os.Args[1:]))
}
