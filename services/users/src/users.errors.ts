/** The one rule the database enforces for users: an email address belongs to one user. */
export class EmailTaken extends Error {
  constructor() {
    super('A user with this email already exists');
  }
}
