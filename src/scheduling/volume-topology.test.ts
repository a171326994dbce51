import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../api/storage.ts";
import { type VolumeCatalog, volumeTopology, volumeTopologyReasons } from "./volume-topology.ts";

const zone = "topology.kubernetes.io/zone";
const claim = (name: string, spec: PersistentVolumeClaim["spec"]): PersistentVolumeClaim => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default" },
  spec,
});
const pv = (name: string, extra: Partial<PersistentVolume> = {}): PersistentVolume => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name },
  spec: {},
  ...extra,
});
const sc = (
  name: string,
  mode: "Immediate" | "WaitForFirstConsumer",
  zones?: string[],
): StorageClass => ({
  apiVersion: "storage.k8s.io/v1",
  kind: "StorageClass",
  metadata: { name },
  provisioner: "ebs.csi.aws.com",
  volumeBindingMode: mode,
  ...(zones && { allowedTopologies: [{ matchLabelExpressions: [{ key: zone, values: zones }] }] }),
});
const catalog: VolumeCatalog = {
  claims: new Map([
    ["default/bound", claim("bound", { volumeName: "pv-a" })],
    ["default/legacy", claim("legacy", { volumeName: "pv-legacy" })],
    ["default/late", claim("late", { storageClassName: "wffc" })],
    ["default/now", claim("now", { storageClassName: "immediate" })],
    ["default/orphan", claim("orphan", { volumeName: "gone" })],
  ]),
  volumes: new Map([
    [
      "pv-a",
      pv("pv-a", {
        spec: {
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: zone, operator: "In", values: ["a"] }] },
              ],
            },
          },
        },
      }),
    ],
    [
      "pv-legacy",
      pv("pv-legacy", {
        metadata: {
          name: "pv-legacy",
          labels: { "failure-domain.beta.kubernetes.io/zone": "a__b" },
        },
      }),
    ],
  ]),
  storageClasses: new Map([
    ["wffc", sc("wffc", "WaitForFirstConsumer", ["b"])],
    ["immediate", sc("immediate", "Immediate")],
  ]),
};
const using = (claimName: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default" },
  spec: {
    containers: [{ name: "c" }],
    volumes: [{ name: "data", persistentVolumeClaim: { claimName } }],
  },
});

// Rows cite kube-scheduler VolumeBinding (PV node affinity, WaitForFirstConsumer) and VolumeZone.
describe("volume topology", () => {
  const rows: [string, string, Record<string, string>, string[]][] = [
    ["a bound PV's node affinity admits its zone", "bound", { [zone]: "a" }, []],
    [
      "a bound PV's node affinity excludes other zones",
      "bound",
      { [zone]: "b" },
      ["volume_topology_conflict"],
    ],
    [
      "legacy zone labels may list several zones joined by __",
      "legacy",
      { "failure-domain.beta.kubernetes.io/zone": "b" },
      [],
    ],
    [
      "WaitForFirstConsumer restricts to allowedTopologies",
      "late",
      { [zone]: "a" },
      ["volume_topology_conflict"],
    ],
    ["WaitForFirstConsumer admits an allowed zone", "late", { [zone]: "b" }, []],
  ];
  for (const [rule, claimName, labels, expected] of rows) {
    it(rule, () => {
      const result = volumeTopology(using(claimName), catalog);
      assert.ok(result.ok);
      assert.deepEqual(
        volumeTopologyReasons(result.topologies, labels).map((r) => r.code),
        expected,
      );
    });
  }
  const missing: [string, string, string][] = [
    ["a missing claim is reported", "nope", "claim"],
    ["a claim bound to a missing volume is reported", "orphan", "volume"],
    ["an unbound claim with Immediate binding waits for its volume", "now", "unbound"],
  ];
  for (const [rule, claimName, detail] of missing) {
    it(rule, () => {
      const result = volumeTopology(using(claimName), catalog);
      assert.ok(!result.ok);
      assert.deepEqual(
        result.reasons.map((r) => (r.code === "volume_missing" ? r.detail : r.code)),
        [detail],
      );
    });
  }
});
