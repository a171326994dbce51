/**
 * The order people expect instance types in: by family, then by size within it — t3.nano,
 * t3.micro, t3.small, t3.medium, t3.large, t3.xlarge, t3.2xlarge … t3.48xlarge, then metal
 * (m5.metal, then m7i.metal-24xl before m7i.metal-48xl) — rather than alphabetical, which puts
 * t3.2xlarge before t3.large. Names without EC2's FAMILY.SIZE shape (a user catalog's own) sort
 * by name, in natural order (node2 before node10).
 */
export function compareInstanceTypeNames(a: string, b: string): number {
  const [familyA, sizeA] = splitName(a);
  const [familyB, sizeB] = splitName(b);
  return (
    natural(familyA, familyB) ||
    sizeRank(sizeA) - sizeRank(sizeB) ||
    natural(sizeA, sizeB) ||
    natural(a, b)
  );
}

const collator = new Intl.Collator("en", { numeric: true });
const natural = (a: string, b: string) => collator.compare(a, b);

function splitName(name: string): [family: string, size: string] {
  const dot = name.indexOf(".");
  return dot < 0 ? [name, ""] : [name.slice(0, dot), name.slice(dot + 1)];
}

// EC2's size names, smallest first; "Nxlarge" is N times an xlarge.
const namedSizes = ["nano", "micro", "small", "medium", "large", "xlarge"];
const unknownSize = 1e6;

/** A number that orders sizes: named sizes, then Nxlarge by N, then metal sizes, then the rest. */
function sizeRank(size: string): number {
  if (size === "") return 0;
  const named = namedSizes.indexOf(size);
  if (named >= 0) return named;
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return namedSizes.length + Number(multiple[1]);
  // Bare metal is the whole machine: after every virtual size; metal-24xl before metal-48xl.
  if (size === "metal") return unknownSize / 2;
  const metal = /^metal-(\d+)xl$/.exec(size);
  if (metal) return unknownSize / 2 + Number(metal[1]);
  return unknownSize;
}
