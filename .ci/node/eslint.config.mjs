// The oracle for docbot's TypeScript/JavaScript targets (issue #10): eslint-plugin-jsdoc's
// require-jsdoc with publicOnly and every function and class context required.
// Run as: eslint --no-inline-config --no-config-lookup -c .ci/node/eslint.config.mjs FILES
import jsdoc from "eslint-plugin-jsdoc";
import tsParser from "@typescript-eslint/parser";

const rule = [
  "error",
  {
    publicOnly: true,
    require: {
      ArrowFunctionExpression: true,
      ClassDeclaration: true,
      ClassExpression: true,
      FunctionDeclaration: true,
      FunctionExpression: true,
      MethodDefinition: true,
    },
  },
];

export default [
  {
    files: ["**/*.js", "**/*.jsx", "**/*.mjs", "**/*.cjs"],
    languageOptions: {
      ecmaVersion: "latest",
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    plugins: { jsdoc },
    rules: { "jsdoc/require-jsdoc": rule },
  },
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
    languageOptions: { parser: tsParser },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    plugins: { jsdoc },
    rules: { "jsdoc/require-jsdoc": rule },
  },
];
