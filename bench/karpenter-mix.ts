/**
 * Karpenter's scheduling-benchmark mix (kubernetes-sigs/karpenter, scheduling_benchmark_test.go):
 * 400 instance types; pods in six equal parts — plain, zone topology spread (maxSkew 1),
 * hostname topology spread (maxSkew 1), hostname pod self-affinity, zone pod self-affinity,
 * hostname anti-affinity — with cpu from {100, 250, 500, 1000, 1500}m, memory from
 * {100, 256, 512, 1024, 2048, 4096}Mi and label values from seven letters. Deterministic.
 */
const letters = ["a", "b", "c", "d", "e", "f", "g"];
const cpus = [100, 250, 500, 1000, 1500];
const memories = [100, 256, 512, 1024, 2048, 4096];
const zones = ["test-zone-1", "test-zone-2", "test-zone-3"];

/** A small deterministic generator (LCG), so every run plans the same input. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** 400 instance types: sizes × memory ratios × architectures × families, priced per vCPU and GiB. */
export function instanceTypes(): object[] {
  const types: object[] = [];
  const sizes = [1, 2, 4, 8, 16, 32, 48, 64, 96, 128];
  const ratios = [1, 2, 4, 8];
  const arches = ["amd64", "arm64"];
  const families = ["c", "m", "r", "t", "x"];
  for (const family of families)
    for (const arch of arches)
      for (const cpu of sizes)
        for (const ratio of ratios) {
          const memory = cpu * ratio;
          const base = 0.02 * cpu + 0.005 * memory;
          const price =
            base * (arch === "arm64" ? 0.85 : 1) * (1 + families.indexOf(family) * 0.03);
          types.push({
            apiVersion: "carpool.dev/v1alpha1",
            kind: "InstanceType",
            metadata: { name: `${family}${ratio}-${arch}.${cpu}x` },
            spec: {
              capacity: {
                cpu: String(cpu),
                memory: `${memory}Gi`,
                pods: String(Math.min(250, 8 + cpu * 8)),
              },
              overhead: { cpu: "100m", memory: "300Mi" },
              labels: { "kubernetes.io/arch": arch, "example.com/family": family },
              offerings: zones.flatMap((zone) => [
                { zone, capacityType: "on-demand", price: round(price) },
                { zone, capacityType: "spot", price: round(price * 0.4) },
              ]),
            },
          });
        }
  return types;
}

function round(price: number): number {
  return Math.round(price * 1e5) / 1e5;
}

/** The six kinds of pod, in equal parts. */
export function pods(count: number): object[] {
  const random = generator(count);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const result: object[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 6;
    const label = pick(letters);
    const selector = { matchLabels: { "my-label": label } };
    const spread = (topologyKey: string) => [
      { maxSkew: 1, topologyKey, whenUnsatisfiable: "DoNotSchedule", labelSelector: selector },
    ];
    const term = (topologyKey: string) => [{ labelSelector: selector, topologyKey }];
    const spec: Record<string, unknown> = {
      containers: [
        {
          name: "c",
          image: "x",
          resources: { requests: { cpu: `${pick(cpus)}m`, memory: `${pick(memories)}Mi` } },
        },
      ],
    };
    if (kind === 1) spec.topologySpreadConstraints = spread("topology.kubernetes.io/zone");
    if (kind === 2) spec.topologySpreadConstraints = spread("kubernetes.io/hostname");
    if (kind === 3)
      spec.affinity = {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: term("kubernetes.io/hostname"),
        },
      };
    if (kind === 4)
      spec.affinity = {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: term("topology.kubernetes.io/zone"),
        },
      };
    if (kind === 5)
      spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: term("kubernetes.io/hostname"),
        },
      };
    result.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `pod-${i}`, namespace: "default", labels: { "my-label": label } },
      spec,
    });
  }
  return result;
}

export function nodePool(): object {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "default" },
    spec: {
      template: {
        spec: {
          nodeClassRef: { group: "carpool.dev", kind: "BenchNodeClass", name: "default" },
          requirements: [
            { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
          ],
        },
      },
    },
  };
}

export function mix(count: number): object {
  return {
    apiVersion: "v1",
    kind: "List",
    items: [nodePool(), ...instanceTypes(), ...pods(count)],
  };
}
