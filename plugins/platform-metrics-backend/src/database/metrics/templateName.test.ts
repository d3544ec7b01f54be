import { templateName } from './templateName';

it('names templates by the name part of a ref', () => {
  expect(templateName('template:default/node-service')).toBe('node-service');
  expect(templateName('default/node-service')).toBe('node-service');
  expect(templateName('node-service')).toBe('node-service');
  expect(templateName('')).toBeNull();
  expect(templateName(undefined)).toBeNull();
});
