#!/usr/bin/env node
// Lays out the files of the Dockerfile's final stage without Docker, by carrying out the Dockerfile's
// own instructions: each stage the final one needs gets a directory standing for its root file system
// (empty: the base image's files are not there), COPY takes files from the build context (the
// repository, less what .dockerignore excludes) or from an earlier stage's directory, RUN runs its
// shell command in the stage's WORKDIR with the checkout's Node.js (node_modules/.bin/node, the major
// version of the build stage's `node:` image) first on PATH.
//
//   node scripts/image-tree.mjs OUT [--dockerfile FILE] [--keep-build]
//
// OUT (new or empty) receives rootfs/ (what the final stage's COPY lines put in the image, at the same
// paths) and image.json (its base image, WORKDIR, USER, ENV, ENTRYPOINT, CMD and COPY lines). The build
// stages run in a temporary directory, removed at the end unless --keep-build. Plain Node.js, no
// dependencies. Understands FROM [--platform] IMAGE [AS NAME], WORKDIR, ENV, ARG without use, COPY and
// ADD of local paths ([--from=STAGE] [--chown] [--chmod] [--link]), RUN (shell form), USER, EXPOSE,
// LABEL, STOPSIGNAL, ENTRYPOINT, CMD; anything else is an error, so the Dockerfile cannot grow an
// instruction this script silently skips.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

// ---------------------------------------------------------------------------------------------------
// Dockerfile

/** The instructions of a Dockerfile: comments dropped, continuation lines joined. */
export function parseDockerfile(text) {
  const instructions = [];
  let escapeChar = "\\";
  let pending = "";
  let start = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.trim();
    if (instructions.length === 0 && pending === "") {
      const directive = /^#\s*escape\s*=\s*(\S)\s*$/i.exec(line);
      if (directive) escapeChar = directive[1];
    }
    if (line.startsWith("#")) continue;
    if (pending === "" && line === "") continue;
    if (pending === "") start = i + 1;
    if (line.endsWith(escapeChar)) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = "";
    if (whole === "") continue;
    const match = /^(\S+)\s*(.*)$/s.exec(whole);
    instructions.push({ line: start, keyword: match[1].toUpperCase(), args: match[2].trim() });
  }
  if (pending !== "") throw new Error("the Dockerfile ends in a continuation line");
  return instructions;
}

/** The stages of a parsed Dockerfile, each with its instructions after FROM. */
export function dockerStages(instructions) {
  const stages = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith("--platform="));
      const as = words.length === 3 && words[1].toUpperCase() === "AS" ? words[2] : undefined;
      if (words.length !== 1 && as === undefined)
        throw new Error(
          `line ${instruction.line}: FROM ${instruction.args}: expected IMAGE [AS NAME]`,
        );
      stages.push({ index: stages.length, name: as, image: words[0], instructions: [] });
    } else if (instruction.keyword === "ARG" && stages.length === 0) {
      throw new Error(`line ${instruction.line}: ARG before FROM is not supported`);
    } else {
      if (stages.length === 0)
        throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
      stages.at(-1).instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new Error("the Dockerfile has no FROM");
  return stages;
}

/** The flags (--name=value) and the words of an instruction's arguments, or its JSON array. */
export function dockerArgs(args) {
  const flags = {};
  let rest = args;
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!flag) break;
    flags[flag[1]] = flag[2] ?? "true";
    rest = rest.slice(flag[0].length);
  }
  if (rest.startsWith("[")) return { flags, json: JSON.parse(rest), words: JSON.parse(rest) };
  return { flags, words: rest.split(/\s+/).filter((w) => w !== "") };
}

/** COPY/ADD: sources and destination, from the shell or the JSON form. */
export function dockerCopy(instruction) {
  const { flags, words } = dockerArgs(instruction.args);
  if (words.length < 2)
    throw new Error(`line ${instruction.line}: COPY needs a source and a destination`);
  return { from: flags.from, flags, sources: words.slice(0, -1), dest: words.at(-1) };
}

// ---------------------------------------------------------------------------------------------------
// .dockerignore, with the rules of Docker's pattern matcher: patterns are paths relative to the context
// root ("/" at the start dropped), `*` and `?` stay within one path element, `**` spans any number of
// them, a pattern that matches a directory excludes all under it, `!` makes an exception, and the last
// pattern that matches a path decides.

export function parseDockerignore(text) {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const exception = line.startsWith("!");
      let pattern = (exception ? line.slice(1) : line).trim();
      pattern = posix.normalize(pattern).replace(/^\/+/, "").replace(/\/+$/, "");
      return { exception, pattern, regex: patternRegex(pattern) };
    })
    .filter((rule) => rule.pattern !== "" && rule.pattern !== ".");
}

function patternRegex(pattern) {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else out += ".*";
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new Error(`.dockerignore: unterminated [ in ${pattern}`);
      let set = pattern.slice(i + 1, end);
      if (set.startsWith("^")) set = `!${set.slice(1)}`;
      out += `[${set.startsWith("!") ? `^${set.slice(1)}` : set}]`;
      i = end;
    } else if (c === "\\" && i + 1 < pattern.length) {
      i++;
      out += pattern[i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Whether .dockerignore keeps a path (relative to the context root, with "/") out of the context. */
export function ignored(rules, path) {
  const prefixes = [];
  const parts = path.split("/");
  for (let i = 1; i <= parts.length; i++) prefixes.push(parts.slice(0, i).join("/"));
  let excluded = false;
  for (const rule of rules) {
    if (prefixes.some((prefix) => rule.regex.test(prefix))) excluded = !rule.exception;
  }
  return excluded;
}

/** Whether some exception could bring back a path under an excluded directory. */
function exceptionBelow(rules, dir) {
  return rules.some((rule) => {
    if (!rule.exception) return false;
    const literal = rule.pattern.split(/[*?[\\]/)[0];
    return literal.startsWith(`${dir}/`) || `${dir}/`.startsWith(literal) || literal === "";
  });
}

// ---------------------------------------------------------------------------------------------------
// Building

function walk(root, rel, visit) {
  const path = join(root, rel);
  const stat = lstatSync(path);
  visit(rel, stat);
  if (stat.isDirectory()) {
    for (const name of readdirSync(path).sort())
      walk(root, rel === "" ? name : `${rel}/${name}`, visit);
  }
}

function copyEntry(from, to, stat) {
  mkdirSync(dirname(to), { recursive: true });
  if (stat.isDirectory()) mkdirSync(to, { recursive: true });
  else cpSync(from, to, { verbatimSymlinks: true, force: true, preserveTimestamps: true });
}

/** COPY from the build context: only what .dockerignore lets in. */
function copyFromContext(context, rules, source, dest, line) {
  const rel =
    posix
      .normalize(source)
      .replace(/^\.?\/+/, "")
      .replace(/\/+$/, "") || ".";
  if (/[*?[]/.test(rel))
    throw new Error(`line ${line}: wildcards in COPY sources are not supported (${source})`);
  const full = join(context, rel);
  if (!existsSync(full))
    throw new Error(`line ${line}: COPY ${source}: not found in the build context`);
  let copied = 0;
  const stat = lstatSync(full);
  if (!stat.isDirectory()) {
    if (rel === "." || ignored(rules, rel))
      throw new Error(`line ${line}: COPY ${source}: excluded by .dockerignore`);
    copyEntry(full, dest.endsWith("/") ? join(dest, basename(rel)) : dest, stat);
    return 1;
  }
  const base = rel === "." ? "" : rel;
  const visit = (sub) => {
    const path = base === "" ? sub : sub === "" ? base : `${base}/${sub}`;
    const entry = join(context, path);
    const s = lstatSync(entry);
    if (path !== "" && ignored(rules, path)) {
      if (!s.isDirectory() || !exceptionBelow(rules, path)) return;
    } else if (sub !== "") {
      copyEntry(entry, join(dest, sub), s);
      if (!s.isDirectory()) copied++;
    }
    if (s.isDirectory())
      for (const name of readdirSync(entry).sort()) visit(sub === "" ? name : `${sub}/${name}`);
  };
  mkdirSync(dest, { recursive: true });
  visit("");
  if (copied === 0)
    throw new Error(`line ${line}: COPY ${source}: nothing left after .dockerignore`);
  return copied;
}

/** COPY --from: everything at that path of the stage. */
function copyFromStage(root, source, dest, line) {
  const full = join(root, source);
  if (!existsSync(full))
    throw new Error(`line ${line}: COPY --from: ${source} does not exist in that stage`);
  const stat = lstatSync(full);
  if (stat.isDirectory()) {
    mkdirSync(dest, { recursive: true });
    cpSync(full, dest, {
      recursive: true,
      verbatimSymlinks: true,
      force: true,
      preserveTimestamps: true,
    });
  } else copyEntry(full, dest.endsWith("/") ? join(dest, basename(source)) : dest, stat);
}

function nodeForMajor(major) {
  const checkout = join(repo, "node_modules", ".bin", "node");
  const candidates = [process.env.CARPOOL_IMAGE_NODE, checkout, process.execPath].filter(Boolean);
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const version = spawnSync(candidate, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
    if (major === undefined || version.startsWith(`v${major}.`))
      return { path: realpathSync(candidate), version };
  }
  throw new Error(
    `no Node.js ${major} for the RUN lines (tried ${candidates.join(", ")}); run npm install in the checkout`,
  );
}

function splitEnv(args) {
  const { words } = dockerArgs(args);
  if (words.length >= 1 && !words[0].includes("=")) return [[words[0], words.slice(1).join(" ")]];
  return words.map((word) => {
    const i = word.indexOf("=");
    return [word.slice(0, i), word.slice(i + 1).replace(/^"(.*)"$/, "$1")];
  });
}

function log(message) {
  process.stderr.write(`image-tree: ${message}\n`);
}

/**
 * Carries out the Dockerfile (see the top of this file) and returns the final stage's configuration;
 * its files end up in OUT/rootfs.
 */
export function buildImageTree(out, options = {}) {
  const dockerfile = resolve(options.dockerfile ?? join(repo, "Dockerfile"));
  const context = resolve(options.context ?? repo);
  const stages = dockerStages(parseDockerfile(readFileSync(dockerfile, "utf8")));
  const ignoreFile = join(context, ".dockerignore");
  const rules = existsSync(ignoreFile) ? parseDockerignore(readFileSync(ignoreFile, "utf8")) : [];
  const byName = (ref) => stages.find((s) => s.name === ref || String(s.index) === ref);

  // The stages the final one needs, as BuildKit builds them.
  const needed = new Set();
  const need = (stage) => {
    if (needed.has(stage)) return;
    needed.add(stage);
    const parent = byName(stage.image);
    if (parent && parent.index < stage.index) need(parent);
    for (const i of stage.instructions) {
      if (i.keyword !== "COPY") continue;
      const from = dockerCopy(i).from;
      if (from === undefined) continue;
      const source = byName(from);
      if (!source || source.index >= stage.index)
        throw new Error(`line ${i.line}: COPY --from=${from}: no earlier stage of that name`);
      need(source);
    }
  };
  const final = stages.at(-1);
  need(final);

  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(`${out} exists and is not empty`);
  mkdirSync(out, { recursive: true });
  const work = mkdtempSync(join(options.tmp ?? tmpdir(), "carpool-image-build-"));
  const roots = new Map();
  let config;
  try {
    for (const stage of stages) {
      if (!needed.has(stage)) continue;
      const root = stage === final ? join(out, "rootfs") : join(work, `stage-${stage.index}`);
      const parent = byName(stage.image);
      if (parent && parent.index < stage.index)
        cpSync(roots.get(parent), root, { recursive: true, verbatimSymlinks: true });
      mkdirSync(root, { recursive: true });
      roots.set(stage, root);
      const label = stage.name ?? String(stage.index);
      const nodeMajor = /^(?:docker\.io\/(?:library\/)?)?node:(\d+)/.exec(stage.image)?.[1];
      const state = {
        workdir: "/",
        user: undefined,
        env: {},
        entrypoint: undefined,
        cmd: undefined,
        expose: [],
        copies: [],
      };
      log(`stage ${label} (FROM ${stage.image})`);
      for (const i of stage.instructions) {
        const at = (path) => join(root, posix.resolve(state.workdir, path));
        switch (i.keyword) {
          case "WORKDIR":
            state.workdir = posix.resolve(state.workdir, i.args);
            mkdirSync(at("."), { recursive: true });
            break;
          case "ENV":
            for (const [key, value] of splitEnv(i.args)) state.env[key] = value;
            break;
          case "ARG":
            if (i.args.includes("="))
              throw new Error(`line ${i.line}: ARG with a default is not supported`);
            break;
          case "COPY":
          case "ADD": {
            const copy = dockerCopy(i);
            const unknown = Object.keys(copy.flags).filter(
              (f) => !["from", "chown", "chmod", "link"].includes(f),
            );
            if (unknown.length > 0)
              throw new Error(`line ${i.line}: COPY --${unknown[0]} is not supported`);
            const many = copy.sources.length > 1;
            const dest = at(copy.dest) + (copy.dest.endsWith("/") || many ? "/" : "");
            for (const source of copy.sources) {
              if (/^[a-z]+:\/\//i.test(source))
                throw new Error(`line ${i.line}: remote sources are not supported`);
              if (copy.from === undefined) copyFromContext(context, rules, source, dest, i.line);
              else copyFromStage(roots.get(byName(copy.from)), source, dest, i.line);
            }
            state.copies.push({
              line: i.line,
              from: copy.from,
              sources: copy.sources,
              dest: posix.resolve(state.workdir, copy.dest) + (copy.dest.endsWith("/") ? "/" : ""),
            });
            break;
          }
          case "RUN": {
            const { flags, json } = dockerArgs(i.args);
            if (json !== undefined || Object.keys(flags).length > 0)
              throw new Error(
                `line ${i.line}: only RUN in the shell form without flags is supported`,
              );
            const node = nodeForMajor(nodeMajor);
            log(`RUN ${i.args} (in ${state.workdir}, Node.js ${node.version})`);
            const started = Date.now();
            const result = spawnSync("/bin/sh", ["-c", i.args], {
              cwd: at("."),
              stdio: ["ignore", "inherit", "inherit"],
              env: {
                ...process.env,
                ...state.env,
                PATH: `${dirname(node.path)}:${process.env.PATH ?? "/usr/bin:/bin"}`,
                npm_config_update_notifier: "false",
              },
            });
            if (result.status !== 0)
              throw new Error(
                `line ${i.line}: RUN ${i.args} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})`,
              );
            log(`  done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
            break;
          }
          case "USER":
            state.user = i.args;
            break;
          case "EXPOSE":
            state.expose.push(...dockerArgs(i.args).words);
            break;
          case "ENTRYPOINT":
          case "CMD": {
            const { json } = dockerArgs(i.args);
            if (json === undefined)
              throw new Error(`line ${i.line}: ${i.keyword} in the shell form is not supported`);
            if (i.keyword === "ENTRYPOINT") state.entrypoint = json;
            else state.cmd = json;
            break;
          }
          case "LABEL":
          case "STOPSIGNAL":
            break;
          default:
            throw new Error(
              `line ${i.line}: ${i.keyword} is not supported by scripts/image-tree.mjs`,
            );
        }
      }
      if (stage === final) config = { image: stage.image, ...state };
    }
  } finally {
    if (options.keepBuild) log(`build stages kept in ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  writeFileSync(join(out, "image.json"), `${JSON.stringify(config, null, 2)}\n`);
  return config;
}

/** Bytes and files under a directory (symbolic links counted as themselves). */
export function treeSize(dir) {
  let bytes = 0;
  let files = 0;
  walk(dir, "", (_rel, stat) => {
    if (!stat.isDirectory()) {
      bytes += stat.size;
      files++;
    }
  });
  return { bytes, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const positional = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--dockerfile");
  if (positional.length !== 1 || args.includes("--help")) {
    process.stderr.write(
      "usage: node scripts/image-tree.mjs OUT [--dockerfile FILE] [--keep-build]\n",
    );
    process.exit(2);
  }
  const di = args.indexOf("--dockerfile");
  const out = resolve(positional[0]);
  const started = Date.now();
  try {
    const config = buildImageTree(out, {
      dockerfile: di >= 0 ? args[di + 1] : undefined,
      keepBuild: args.includes("--keep-build"),
    });
    const app = join(out, "rootfs", config.workdir);
    const { bytes, files } = treeSize(join(out, "rootfs"));
    const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    const parts = existsSync(app)
      ? readdirSync(app)
          .sort()
          .map((name) => `${name} ${mib(treeSize(join(app, name)).bytes)}`)
          .join(", ")
      : "";
    log(
      `${relative(process.cwd(), out) || "."}/rootfs: ${mib(bytes)} in ${files} files (${parts})`,
    );
    log(
      `USER ${config.user ?? "(root)"}, WORKDIR ${config.workdir}, ENTRYPOINT ${JSON.stringify(config.entrypoint)}, CMD ${JSON.stringify(config.cmd)}`,
    );
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  } catch (error) {
    log(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
