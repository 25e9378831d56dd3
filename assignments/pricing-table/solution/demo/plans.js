// Example data, the shape the marketing site's CMS sends us.
window.PLANS = {
  title: 'Plans for every team',
  currency: 'EUR',
  locale: 'en-IE',
  plans: [
    { id: 'starter', name: 'Starter', monthly: 9, yearly: 90, features: ['3 projects', 'Email support'] },
    {
      id: 'team',
      name: 'Team',
      monthly: 29,
      yearly: 290,
      highlighted: true,
      cta: 'Start free trial',
      features: ['Unlimited projects', 'Single sign-on', 'Priority support'],
    },
    { id: 'scale', name: 'Scale', monthly: 79.5, yearly: 795, features: ['Everything in Team', 'Audit log'] },
    { id: 'enterprise', name: 'Enterprise', monthly: null, yearly: null, features: ['Dedicated support', 'Custom contract'] },
  ],
};
