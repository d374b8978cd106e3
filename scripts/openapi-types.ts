// `npm run openapi:types [-- --check]`: regenerate (or check) the widget's wire types from the API's DTOs.
import { syncOpenApiTypes } from './lib/openapi-types';
import { ROOT } from './lib/stack';

const check = process.argv.includes('--check');
syncOpenApiTypes(ROOT, check ? 'check' : 'write')
  .then((problem) => {
    if (problem) {
      console.error(problem);
      process.exit(1);
    }
    console.log(check ? "The widget's OpenAPI types are current." : "Wrote the widget's OpenAPI types.");
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
