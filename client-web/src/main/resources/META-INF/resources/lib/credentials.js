// The session's credentials: the token a connection opens with (`?access_token=`, since
// browsers cannot set headers on a WebSocket), from a token provider when there is one.

export class Credentials {
  /**
   * @param {string|undefined} token
   * @param {(() => (string|null|undefined|Promise<string|null|undefined>))|undefined} provider
   *   called before every connection attempt; its token wins over `token`
   */
  constructor(token, provider) {
    /** @type {string|undefined} the token of the next connection, the last one given or provided */
    this.token = token;
    this._provider = provider;
  }

  /**
   * Gets the token for a connection attempt and hands it to `use`. Without a provider this
   * happens at once (the socket opens in the same turn); with one, once it has answered, and
   * only if the attempt is still the current one (`isCurrent`). A provider that gives nothing
   * leaves the token as it was.
   * @param {() => boolean} isCurrent
   * @param {(token: string|undefined) => void} use
   * @param {(error: any) => void} fail the provider threw or rejected
   */
  forConnection(isCurrent, use, fail) {
    const provider = this._provider;
    if (!provider) {
      use(this.token);
      return;
    }
    Promise.resolve()
      .then(() => provider())
      .then(
        (token) => {
          if (!isCurrent()) return;
          if (token) this.token = token;
          use(token || this.token);
        },
        (error) => {
          if (isCurrent()) fail(error);
        },
      );
  }
}
