// Bundles our front-end modules with the npm packages they import into static/dist
// (git-ignored). `make env` runs it; nothing is fetched when the app runs.
import { build } from "esbuild";

await build({
  entryPoints: { editor: "assets/editor/main.js" },
  outdir: "static/dist",
  bundle: true,
  minify: true,
  sourcemap: false,
  format: "iife",
  target: ["es2020"],
  legalComments: "linked",
  logLevel: "warning",
});
