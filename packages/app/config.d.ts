export interface Config {
  portal?: {
    /**
     * Sign-in options offered on the sign-in page, in order.
     * Development uses `guest`; production uses `github`.
     * @visibility frontend
     */
    signInProviders?: Array<'guest' | 'github'>;
  };
}
