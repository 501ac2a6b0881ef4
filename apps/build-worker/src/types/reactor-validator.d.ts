/** `@adobe/reactor-validator` ships no types: it returns the first problem as a sentence, or undefined. */
declare module '@adobe/reactor-validator' {
  function validate(extensionDescriptor: unknown): string | undefined;
  export = validate;
}
