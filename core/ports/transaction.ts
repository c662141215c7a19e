/**
 * An open database transaction, handed by {@link Transactions} to the
 * function it runs. Opaque to core: a use-case only passes it on to
 * repository methods, so that what they write commits or rolls back together.
 * The store's implementation is a SQL connection; core never looks inside.
 */
export interface Transaction {
  /** Marks the type; never set. */
  readonly [transactionBrand]?: never;
}

declare const transactionBrand: unique symbol;

/**
 * Units of work over the store (the single source of truth).
 * Implemented by store/transactions.ts (PostgreSQL or PGlite).
 */
export interface Transactions {
  /**
   * Run `fn` in one transaction: committed when the promise it returns
   * resolves, rolled back when it rejects (the rejection is passed on
   * unchanged, so a `ProblemError` thrown inside reaches the caller).
   * Rows locked inside (`lock` methods) stay locked until it ends.
   */
  tx<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Run `fn` in a read-only transaction that sees one consistent snapshot:
   * a change committing meanwhile shows in all of its reads or in none.
   * Writing inside it throws.
   */
  snapshot<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
}
