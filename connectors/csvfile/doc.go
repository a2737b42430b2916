// Package csvfile imports contacts, leads and deals from CSV files and
// exports the pipeline as CSV or JSON.
//
// Import reads a file as people save it from a spreadsheet or another CRM
// (UTF-8 with or without a byte order mark, ',' ';' or tab separated,
// headers in any of the usual spellings), checks every row the way core
// will, and hands the good rows to core's import services in batches, one
// transaction each: a row core refuses is reported with the way to fix it
// and the rest go on. Every row has an idempotency key, so importing a file
// again adds nothing. A dry run goes through core the same way and rolls
// each batch back.
//
// Export writes the records within the actor's reach, oldest first: CSV
// with the columns Import reads back, or JSON in shapes the caller gives.
// Every cell written is safe to open in a spreadsheet (no formulas).
//
// The package imports core only; the command line (flags, progress bar,
// summary) lives in cmd/leadwire.
package csvfile
