import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import techdocsPlugin from '@backstage/plugin-techdocs/alpha';
import { navModule } from './modules/nav';
import { scaffolderServiceNameModule } from './modules/scaffolder';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [
    catalogPlugin,
    techdocsPlugin,
    navModule,
    signInModule,
    scaffolderServiceNameModule,
  ],
});
