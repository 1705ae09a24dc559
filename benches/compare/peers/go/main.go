// Peer harness: sigstore-go.
// Usage: harness (warm ITERS | cold) ROOT BUNDLE ARTIFACT IDENTITY ISSUER
// warm: one Verifier, ITERS x (parse bundle JSON + verify); prints JSON timings.
// cold: one verification, as a CLI would do it; exit 0 on success.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/verify"
)

func must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "REJECTED:", err)
		os.Exit(1)
	}
	return v
}

func main() {
	args := os.Args[1:]
	mode, args := args[0], args[1:]
	iters := 0
	if mode == "warm" {
		iters = must(strconv.Atoi(args[0]))
		args = args[1:]
	}
	rootPath, bundlePath, artifactPath, identity, issuer := args[0], args[1], args[2], args[3], args[4]
	tr := must(root.NewTrustedRootFromPath(rootPath))
	v := must(verify.NewVerifier(tr, verify.WithSignedCertificateTimestamps(1),
		verify.WithTransparencyLog(1), verify.WithObserverTimestamps(1)))
	bundleJSON := must(os.ReadFile(bundlePath))
	artifact := must(os.ReadFile(artifactPath))
	certID := must(verify.NewShortCertificateIdentity(issuer, "", identity, ""))
	once := func() error {
		b := &bundle.Bundle{}
		if err := b.UnmarshalJSON(bundleJSON); err != nil {
			return err
		}
		_, err := v.Verify(b, verify.NewPolicy(verify.WithArtifact(bytes.NewReader(artifact)),
			verify.WithCertificateIdentity(certID)))
		return err
	}
	must(0, once())
	if mode == "cold" {
		return
	}
	times := make([]float64, 0, iters)
	for i := 0; i < iters; i++ {
		s := time.Now()
		must(0, once())
		times = append(times, float64(time.Since(s).Nanoseconds())/1e3)
	}
	out, _ := json.Marshal(map[string][]float64{"times_us": times})
	fmt.Println(string(out))
}
