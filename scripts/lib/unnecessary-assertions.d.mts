/** `file:line: (expression) type` for each type assertion whose expression already has its type. */
export declare function unnecessaryAssertions(configs: readonly string[]): string[];
