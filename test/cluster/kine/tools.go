//go:build tools

// Package tools records the upstream command this module builds: kine, an etcd API shim over SQLite that
// the dev cluster's kube-apiserver uses as its datastore.
package tools

import _ "github.com/k3s-io/kine"
