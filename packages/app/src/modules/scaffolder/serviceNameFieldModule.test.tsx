import { useEffect, useState } from 'react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { useApi } from '@backstage/core-plugin-api';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { formFieldsApiRef } from '@backstage/plugin-scaffolder-react/alpha';
import { scaffolderServiceNameModule } from './serviceNameFieldModule';

/** Lists the fields the scaffolder form would offer to `ui:field`. */
function FormFieldNames() {
  const formFieldsApi = useApi(formFieldsApiRef);
  const [names, setNames] = useState<string[]>();
  useEffect(() => {
    formFieldsApi.loadFormFields().then(fields =>
      // The public type is opaque; the loaded value is what createFormField
      // was given.
      setNames(fields.map(field => (field as { name?: string }).name ?? '')),
    );
  }, [formFieldsApi]);
  return names ? (
    <ul aria-label="form fields">
      {names.map(name => (
        <li key={name}>{name}</li>
      ))}
    </ul>
  ) : null;
}

describe('scaffolderServiceNameModule', () => {
  it('offers ServiceNameField to the scaffolder form', async () => {
    renderInTestApp(<FormFieldNames />, {
      config: {
        app: { title: 'x', baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: 'http://localhost:7007' },
      },
      features: [scaffolderPlugin, scaffolderServiceNameModule],
    });

    const list = await screen.findByRole('list', { name: 'form fields' });
    // The scaffolder's own fields load through the same API: if they are here
    // and ours is not, the module did not attach.
    expect(list).toHaveTextContent('EntityNamePicker');
    expect(list).toHaveTextContent('ServiceNameField');
  });
});
