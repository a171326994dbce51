//go:build tools

// Package tools records the upstream command this module builds: kwok, which keeps the dev cluster's fake
// nodes (annotation kwok.x-k8s.io/node=fake) Ready through node leases and marks the pods bound to them
// Running and Ready.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
