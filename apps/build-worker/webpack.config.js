const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// Node bundle of the app's own code and the workspace libs; node_modules stay external.
// library-build.thread.js is the worker-thread entry that builds libraries off the event loop
// (src/build/threaded-library-builder.ts finds it next to main.js).
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/build-worker') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      additionalEntryPoints: [{ entryName: 'library-build.thread', entryPath: './src/build/library-build.thread.ts' }],
      tsConfig: './tsconfig.app.json',
      outputHashing: 'none',
      optimization: false,
      sourceMap: true,
      generatePackageJson: false,
    }),
  ],
};
