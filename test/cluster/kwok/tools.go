//go:build tools

// Package tools pins the kwok command build.sh compiles, so that go.sum covers it.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
