/** Which slice of a list to read: at most `limit` rows after skipping `offset`. */
export interface Page {
  limit: number;
  offset: number;
}
