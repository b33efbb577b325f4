package clinked

// docsSeed holds everything the documented examples name: account 1
// awesome_org, user 1 jack (the doc's principal), user1 (the member the
// get example asks for), the applications of section 3, group 1
// explore_clinked, the invites and the guest of the examples, and the
// member tags (label, Elite, fakeTag). User 3 invitee is the existing user
// that account invite 1 targets (the list example shows a target); user 4
// member belongs to group 1 only, so that the group members example's
// name=member filter finds someone. Dates are the doc's fixture clock,
// 2018-01-01. The member john is absent: the create example makes him.
const docsSeed = `{
 "accounts": [{"id": 1, "name": "awesome_org", "friendly_name": "Awesome Organisation",
   "date_created": 1514764800000, "last_modified": 1514764800000,
   "metadata": {"PropertyName": "PropertyValue"},
   "subscription": {"code": "premium", "plan": "Premium", "interval": 1, "currency": "EUR", "members": 100,
     "storage": 9000000000, "trial_expires": 1712647509975,
     "billing_details": {"firstName": "John", "lastName": "Doe", "email": "john@example.com",
       "address1": "Privet Drive", "address2": "4", "city": "Little Whinging", "state": "Surrey",
       "zip": "ZIP-0876", "country": "Great Britain",
       "card": {"number": "5555 5555 5555 4444", "type": "MasterCard", "lastFour": "4444",
         "verificationValue": "000", "expirationMonth": 1, "expirationYear": 27}}}}],
 "users": [
  {"id": 1, "username": "jack", "email": "jack.bauer@clinked.com", "name": "Jack Bauer", "real_name": "Jack Bauer",
   "job_title": "Marketing", "organisation": "Clinked", "address": "71 Pilgrim Avenue", "telephone": "123456789",
   "time_zone": "UTC", "locale": "en", "date_created": 1514764800000, "last_modified": 1514764800000,
   "memberships": [{"account": 1, "permission": 16, "date_created": 1514764800000, "tags": ["label", "fakeTag"]}]},
  {"id": 2, "username": "user1", "email": "user1@clinked.com", "name": "User One", "real_name": "User One",
   "password": "Passy123!", "job_title": "Sales", "organisation": "Clinked", "address": "1 Example Street",
   "telephone": "987654321", "time_zone": "UTC", "locale": "en",
   "date_created": 1514764800000, "last_modified": 1514764800000,
   "memberships": [{"account": 1, "permission": 1, "date_created": 1514764800000, "tags": ["Elite"], "pending_unlock": false}]},
  {"id": 3, "username": "invitee", "email": "invitee@example.com", "name": "Ian Vitee", "job_title": "Consultant",
   "organisation": "Example Ltd", "address": "1 Example Street", "telephone": "987654321", "time_zone": "UTC",
   "locale": "en", "date_created": 1514764800000, "last_modified": 1514764800000},
  {"id": 4, "username": "member", "email": "mary.member@clinked.com", "name": "Mary Member", "job_title": "Designer",
   "organisation": "Clinked", "address": "72 Pilgrim Avenue", "telephone": "123456780", "time_zone": "UTC",
   "locale": "en", "date_created": 1514764800000, "last_modified": 1514764800000}
 ],
 "applications": [
  {"client_id": "5ad29f13-82b8-4b68-89e6-c2f4c96d5d9d", "client_secret": "0eda391b-0a88-46d2-aaaf-905332c19e20",
   "owner": 1, "name": "Token Example App", "description": "The application of the client_credentials example",
   "platform": "OTHER", "device_type": "Other", "last_activity": 1514764800000, "ip": "127.0.0.1", "scope": []},
  {"client_id": "5eede59c-4b62-484c-b211-7a8f1eb4e158", "client_secret": "5eede59c-secret", "owner": 1,
   "name": "My Awesome App!", "description": "This is my awesome test app", "platform": "OTHER", "device_type": "Phone",
   "device_model": "Google Pixel XL", "device_os": "ANDROID", "app_version": "1.0", "bundle_id": "com.clinked.awesome",
   "last_activity": 1514764800000, "ip": "127.0.0.1", "scope": []},
  {"client_id": "a30d440c-8439-44fc-97be-13788342d94e", "client_secret": "a30d440c-secret", "owner": 1,
   "name": "My Awesome App!", "description": "This is my awesome test app", "platform": "OTHER", "device_type": "Phone",
   "device_model": "Google Pixel XL", "device_os": "ANDROID", "app_version": "1.0", "bundle_id": "com.clinked.awesome",
   "last_activity": 1514764800000, "ip": "127.0.0.1", "scope": []},
  {"client_id": "0c8d8eb6-a842-4932-bb98-2da5749db414", "client_secret": "0c8d8eb6-secret", "owner": 1,
   "name": "My Awesome App!", "description": "This is my awesome test app", "platform": "OTHER", "device_type": "Phone",
   "device_model": "Google Pixel XL", "device_os": "ANDROID", "app_version": "1.0", "bundle_id": "com.clinked.awesome",
   "last_activity": 1514764800000, "ip": "127.0.0.1", "scope": []},
  {"client_id": "6521449b-e66b-42d4-99e4-ca930121f210", "client_secret": "6521449b-secret", "owner": 1,
   "name": "App to delete", "description": "The application of the delete example", "platform": "OTHER",
   "device_type": "Other", "last_activity": 1514764800000, "ip": "127.0.0.1", "scope": []}
 ],
 "groups": [
  {"id": 1, "account": 1, "name": "explore_clinked", "friendly_name": "Explore Clinked", "owner": 1,
   "date_created": 1514764800000, "last_modified": 1514764800000,
   "branding": {"headerColor": "#ffffff", "textColor": "#ff0000", "logo": false, "background": false, "alignment": "left",
     "backgroundPositionX": 50, "backgroundPositionY": 50, "hideBackgroundGradient": false, "hideLogoBackground": false,
     "hideGroupName": false},
   "members": [{"user": 1, "permission": 16, "date_created": 1514764800000},
     {"user": 4, "permission": 1, "date_created": 1514764800000}]}
 ],
 "invites": [
  {"id": 1, "kind": "account", "account": 1, "email": "invitee@example.com", "permission": 1, "groups": {"1": 1},
   "invite_key": "ea4dae46-1adf-4ef9-96ec-26b1d38ebe22", "source": 1, "target": 3, "date_created": 1514764800000},
  {"id": 1, "kind": "group", "group": 1, "email": "jack.bauer@clinked.com", "permission": 1,
   "invite_key": "e19e3297-0cfd-4cd3-af75-1ade8cb0b3c5", "source": 1, "target": 1,
   "expiration_date": 1712647480096, "date_created": 1712647480096, "last_modified": 1712647480096}
 ],
 "guests": [
  {"id": 1, "account": 1, "name": "Guest", "email": "guest@guest.com", "date_created": 1712647504400,
   "shares": [{"group": 1, "permission": 1}]}
 ]
}`

// demoSeed is a small, realistic world: two accounts, a user in both, a
// few groups with mixed permissions, a guest and pending invites. Every
// user but the administrator has the password "demo-password".
const demoSeed = `{
 "accounts": [
  {"id": 1, "name": "northwind", "friendly_name": "Northwind Traders", "locale": "en_GB",
   "metadata": {"region": "EMEA"}, "subscription": {"code": "premium", "plan": "Premium", "interval": 1,
   "currency": "EUR", "members": 100, "storage": 9000000000}},
  {"id": 2, "name": "contoso", "friendly_name": "Contoso Ltd", "locale": "en_US",
   "subscription": {"code": "standard", "plan": "Standard", "interval": 12, "currency": "USD", "members": 25,
   "storage": 1000000000}}
 ],
 "users": [
  {"id": 1, "username": "maria", "email": "maria.lopez@northwind.example", "name": "Maria Lopez",
   "job_title": "Operations Director", "organisation": "Northwind Traders", "time_zone": "Europe/London", "locale": "en",
   "verified_email": true,
   "memberships": [{"account": 1, "permission": 16, "tags": ["leadership"]}, {"account": 2, "permission": 1}]},
  {"id": 2, "username": "tom", "email": "tom.chen@northwind.example", "name": "Tom Chen", "password": "demo-password",
   "job_title": "Account Manager", "organisation": "Northwind Traders", "time_zone": "Europe/London", "locale": "en",
   "memberships": [{"account": 1, "permission": 1, "tags": ["sales", "emea"]}]},
  {"id": 3, "username": "priya", "email": "priya.nair@northwind.example", "name": "Priya Nair", "password": "demo-password",
   "job_title": "Project Lead", "two_factor": true, "two_factor_mode": "AUTHENTICATOR", "two_factor_code": "123456",
   "memberships": [{"account": 1, "permission": 8, "tags": ["projects"]}]},
  {"id": 4, "username": "ravi", "email": "ravi.patel@contoso.example", "name": "Ravi Patel", "password": "demo-password",
   "organisation": "Contoso Ltd", "time_zone": "America/New_York", "locale": "en",
   "memberships": [{"account": 2, "permission": 16}]},
  {"id": 5, "username": "anna.client", "email": "anna@fabrikam.example", "name": "Anna Berg", "password": "demo-password",
   "organisation": "Fabrikam (client)",
   "memberships": [{"account": 1, "permission": 1, "tags": ["client"]}]}
 ],
 "groups": [
  {"id": 1, "account": 1, "name": "client_onboarding", "friendly_name": "Client Onboarding", "owner": 1, "position": 1,
   "members": [{"user": 1, "permission": 16}, {"user": 2, "permission": 8}, {"user": 5, "permission": 1}]},
  {"id": 2, "account": 1, "name": "project_apollo", "friendly_name": "Project Apollo", "owner": 3, "position": 2,
   "members": [{"user": 3, "permission": 16}, {"user": 2, "permission": 4}, {"user": 5, "permission": 1}]},
  {"id": 3, "account": 1, "name": "board_pack", "friendly_name": "Board Pack", "owner": 1, "blind": true,
   "hide_member_details": true, "members": [{"user": 1, "permission": 16}]},
  {"id": 4, "account": 2, "name": "shared_docs", "friendly_name": "Shared Documents", "owner": 4,
   "members": [{"user": 4, "permission": 16}, {"user": 1, "permission": 1}]}
 ],
 "invites": [
  {"id": 1, "kind": "account", "account": 1, "email": "new.hire@northwind.example", "permission": 1,
   "groups": {"1": 1, "2": 4}, "message": "Welcome to Northwind!", "invite_key": "0d8f2a9e-4b1c-4e7a-9c3d-5f6a7b8c9d01",
   "source": 1},
  {"id": 1, "kind": "group", "group": 2, "email": "consultant@partner.example", "permission": 4,
   "invite_key": "7e2c4b1a-9d8f-4a3e-8b6c-1d2e3f4a5b02", "source": 3}
 ],
 "guests": [
  {"id": 1, "account": 1, "name": "Olga Ivanova", "email": "olga@auditors.example", "password": "demo-password",
   "password_enabled": true, "shares": [{"group": 3, "permission": 1}]}
 ]
}`
