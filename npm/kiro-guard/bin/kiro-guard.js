#!/usr/bin/env node
// Launcher for the kiro-guard binary. npm installs exactly one of the
// optional @kiro-guard/<platform>-<arch> packages (the one whose "os" and
// "cpu" match this machine); this script finds its binary and runs it with
// the same arguments, standard streams and exit status.
"use strict";

const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const SUPPORTED = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];

function binaryPath() {
  // An explicit binary wins (a bank's own build, a debugging copy).
  const override = process.env.KIRO_GUARD_BINARY;
  if (override) {
    if (!fs.existsSync(override)) {
      fail(`KIRO_GUARD_BINARY is set to ${override}, which does not exist.`);
    }
    return override;
  }
  const target = `${process.platform}-${process.arch}`;
  const pkg = `@kiro-guard/${target}`;
  const exe = process.platform === "win32" ? "kiro-guard.exe" : "kiro-guard";
  let dir;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch (e) {
    if (!SUPPORTED.includes(target)) {
      fail(
        `kiro-guard has no prebuilt binary for ${target} (available: ${SUPPORTED.join(", ")}).\n` +
          "Build it from source (cargo install --path host) and set KIRO_GUARD_BINARY to its path."
      );
    }
    fail(
      `the package ${pkg}, which holds the kiro-guard binary for this machine, is not installed.\n` +
        "npm skips optional dependencies with --omit=optional (or --no-optional) and when a lockfile\n" +
        "was written on another platform. Reinstall with optional dependencies, for example:\n" +
        `  npm install --include=optional kiro-guard\n` +
        `or add it directly: npm install -D ${pkg}`
    );
  }
  const bin = path.join(dir, "bin", exe);
  if (!fs.existsSync(bin)) {
    fail(`${pkg} is installed at ${dir} but has no bin/${exe}; reinstall it.`);
  }
  return bin;
}

function fail(message) {
  process.stderr.write(`kiro-guard: ${message}\n`);
  // 2 is kiro-guard's own exit status for a usage or installation error.
  process.exit(2);
}

const bin = binaryPath();
const result = spawnSync(bin, process.argv.slice(2), { stdio: "inherit", windowsHide: true });
if (result.error) {
  fail(`could not run ${bin}: ${result.error.message}`);
}
if (result.signal) {
  // Die of the same signal, so that a caller sees what the binary saw.
  process.kill(process.pid, result.signal);
}
process.exit(result.status === null ? 1 : result.status);
