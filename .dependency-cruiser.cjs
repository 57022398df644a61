/**
 * Keeps imports pointing one way (see docs: architecture). Type-only imports are ignored, so `api` may name
 * the container's type while `app` composes the API at run time.
 */
const area = (name, mayImport) => ({
  name: `${name}-imports`,
  comment: `${name}/ may import only: ${mayImport.join(", ") || "nothing in the project"}`,
  severity: "error",
  // Tests may use the shared test kit and conformance suites.
  from: { path: `^${name}/`, pathNot: "\\.(test|suite)\\.ts$" },
  to: {
    path: "^(core|prisma|analysis|srm|models|trading|app|api|jobs|notebooks|bench|test)/",
    pathNot: [`^${name}/`, ...mayImport.map((m) => `^${m}/`)],
  },
});

module.exports = {
  forbidden: [
    area("core", []),
    area("prisma", ["core"]),
    area("analysis", ["core", "prisma"]),
    area("models", ["core", "srm/contracts"]),
    area("srm", ["core", "prisma", "analysis", "models"]),
    area("trading", ["core", "prisma", "analysis", "srm"]),
    area("jobs", ["core", "prisma", "analysis", "srm", "trading", "models", "app"]),
    area("app", ["core", "prisma", "analysis", "srm", "models", "trading", "jobs", "api"]),
    area("api", ["core", "prisma", "analysis", "srm", "trading", "app"]),
    {
      name: "one-door-per-library",
      comment: "Fastify only in api/, BullMQ only in jobs/, TensorFlow.js only in models/, the MetaApi SDK only in trading/metaapi/.",
      severity: "error",
      from: { pathNot: "^(api|jobs|models|trading/metaapi|bench|test)/" },
      to: { path: "node_modules/(fastify|@fastify|bullmq|@tensorflow|metaapi\\.cloud-sdk)/" },
    },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    {
      name: "no-product-imports-of-tests",
      severity: "error",
      from: { path: "^(core|prisma|analysis|srm|models|trading|app|api|jobs)/", pathNot: "\\.test\\.ts$" },
      to: { path: "(^test/|\\.test\\.ts$)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(node_modules|prisma/generated|\\.riskloop)" },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
