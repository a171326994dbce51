//go:build tools

// Package tools records the upstream command this module builds: helm, which the chart tests run
// offline (HELM_CACHE_HOME, HELM_CONFIG_HOME and HELM_DATA_HOME in a temporary directory) to lint,
// template and install charts/ against the dev cluster.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
