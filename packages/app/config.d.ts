export interface Config {
  app?: {
    /**
     * One sentence on what the portal is: the page's meta description. The
     * name is `app.title`, shown as the page title and beside the logo.
     * @visibility frontend
     */
    description?: string;
  };
  portal?: {
    /**
     * Sign-in options offered on the sign-in page, in order.
     * Development uses `guest` and `platformDemo` (a member of the platform
     * team, signed in by the backend's development-only provider of that
     * name); production uses `github`.
     * @visibility frontend
     */
    signInProviders?: Array<'guest' | 'github' | 'platformDemo'>;
  };
}
