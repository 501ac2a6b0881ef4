const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// Node bundle of the app's own code and the workspace libs; node_modules stay external.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/image-server') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      outputHashing: 'none',
      optimization: false,
      sourceMap: true,
      generatePackageJson: false,
      // Second entry: the admin CLI (management API tokens, bulk import), dist/apps/image-server/cli.js.
      additionalEntryPoints: [{ entryName: 'cli', entryPath: './src/cli.ts' }],
    }),
  ],
};
