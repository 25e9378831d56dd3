// The hidden tests' Jest configuration: the grader runs
//   jest --config tests-hidden/jest.config.cjs
// from the root of the submission. Test files are TypeScript, transpiled by ts-jest without
// type-checking (the build step type-checks the submission with its own tsconfig.json).
/** @type {import('jest').Config} */
module.exports = {
  rootDir: "..",
  roots: ["<rootDir>/tests-hidden"],
  testEnvironment: "node",
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tests-hidden/tsconfig.json", isolatedModules: true }],
  },
  cacheDirectory: "/tmp/jest-cache",
  reporters: [
    "default",
    [
      "jest-junit",
      {
        outputDirectory: "<rootDir>/test-reports",
        outputName: "hidden.xml",
        classNameTemplate: "{filename}",
        titleTemplate: "{title}",
        suiteNameTemplate: "{filename}",
        addFileAttribute: "false",
      },
    ],
  ],
};
