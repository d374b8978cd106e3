import { Module } from '@nestjs/common';
import { AttachmentsRepository } from './attachments.repository';
import { CompaniesRepository } from './companies.repository';
import { ContactsRepository } from './contacts.repository';
import { CustomerLinksRepository } from './customer-links.repository';
import { OwnersRepository } from './owners.repository';
import { PipelinesRepository } from './pipelines.repository';
import { RequestOutboxRepository } from './request-outbox.repository';
import { TicketListRepository } from './ticket-list.repository';
import { TicketMessagesRepository } from './ticket-messages.repository';
import { TicketPeopleRequestsRepository } from './ticket-people-requests.repository';
import { TicketsRepository } from './tickets.repository';

const REPOSITORIES = [
  TicketsRepository,
  TicketListRepository,
  TicketMessagesRepository,
  ContactsRepository,
  CompaniesRepository,
  OwnersRepository,
  PipelinesRepository,
  CustomerLinksRepository,
  RequestOutboxRepository,
  AttachmentsRepository,
  TicketPeopleRequestsRepository,
];

/**
 * One repository per table or aggregate of the mirror, the requests module and the attachments: each
 * owns its columns, row types and SQL, and services call it instead of writing SQL
 * (docs/conventions.md).
 * Needs TypeORM's DataSource from the importing app (CoreModule, or TypeOrmModule.forRoot).
 */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class RepositoriesModule {}
