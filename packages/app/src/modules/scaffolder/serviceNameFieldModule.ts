import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

export const serviceNameFormFieldExtension = FormFieldBlueprint.make({
  name: 'service-name',
  params: {
    // Loaded on demand so the field's code is only fetched with the scaffolder
    // form, like the scaffolder's own fields.
    field: () => import('./ServiceNameField').then(m => m.serviceNameFormField),
  },
});

/** Adds `ui:field: ServiceNameField` to the scaffolder's form. */
export const scaffolderServiceNameModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [serviceNameFormFieldExtension],
});
