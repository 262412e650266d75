// The version of ipass this is: printed by --version and kept in every run of the run history.
export const VERSION = '0.1.0';
