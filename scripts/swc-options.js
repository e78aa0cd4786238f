// How TypeScript becomes JavaScript, for the build (scripts/compile-ts.js) and for Jest (jest.config.js) alike:
// the tests run the code as the build emits it. Decorators are TypeScript's legacy ones with their type metadata,
// which Nest's dependency injection reads. Types are checked by `npm run typecheck`, not here.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};
